// The manifest loader's S3 section: Buckets and their NotificationConfiguration, in the SDK's
// JSON shape (QueueConfigurations, LambdaFunctionConfigurations, Filter.Key.FilterRules).
#include <algorithm>
#include <cctype>

#include "app/manifest_internal.h"

namespace slipway::app::manifest_detail {
namespace {

constexpr std::string_view kS3Events[] = {"s3:ObjectCreated:*",
                                          "s3:ObjectCreated:Put",
                                          "s3:ObjectCreated:Post",
                                          "s3:ObjectCreated:Copy",
                                          "s3:ObjectCreated:CompleteMultipartUpload",
                                          "s3:ObjectRemoved:*",
                                          "s3:ObjectRemoved:Delete",
                                          "s3:ObjectRemoved:DeleteMarkerCreated"};

std::string s3_event_list() {
  std::string out;
  for (std::string_view e : kS3Events) out += (out.empty() ? "" : ", ") + std::string(e);
  return out;
}

// Two event names overlap when equal or when one is the other's "...:*" wildcard.
bool events_overlap(std::string_view a, std::string_view b) {
  auto covers = [](std::string_view wild, std::string_view e) {
    return wild.ends_with(":*") && e.starts_with(wild.substr(0, wild.size() - 1));
  };
  return a == b || covers(a, b) || covers(b, a);
}

bool share_event(const NotificationSpec& a, const NotificationSpec& b) {
  for (const auto& x : a.events) {
    for (const auto& y : b.events) {
      if (events_overlap(x, y)) return true;
    }
  }
  return false;
}

// Some key matches both filters iff the prefixes nest and the suffixes nest: the longer prefix
// followed by the longer suffix is such a key.
bool filters_overlap(const NotificationSpec& a, const NotificationSpec& b) {
  const bool prefixes = a.prefix.starts_with(b.prefix) || b.prefix.starts_with(a.prefix);
  const bool suffixes = a.suffix.ends_with(b.suffix) || b.suffix.ends_with(a.suffix);
  return prefixes && suffixes;
}

}  // namespace

void Builder::bucket(const std::string& name, const Json& v, const std::string& path) {
  const std::size_t before = check_.count();
  if (!is_bucket_name(name)) {
    check_.problem(path,
                   "invalid bucket name: expected 3 to 63 characters of lowercase letters, "
                   "digits, '.' and '-', starting and ending with a letter or digit, with "
                   "no \"..\", and not shaped like an IP address");
  }
  if (!check_.expect_object(v, path)) return;
  check_.check_keys(v, path, {"NotificationConfiguration"});
  BucketSpec b;
  b.name = name;
  std::vector<std::string> paths;  // each notification's JSON path, for overlap problems
  const std::string nc_path = child_path(path, "NotificationConfiguration");
  const Json* nc = member(v, "NotificationConfiguration");
  if (nc != nullptr && check_.expect_object(*nc, nc_path)) {
    check_.check_keys(*nc, nc_path, {"QueueConfigurations", "LambdaFunctionConfigurations"});
    notifications(*nc, nc_path, "QueueConfigurations", b, paths);
    notifications(*nc, nc_path, "LambdaFunctionConfigurations", b, paths);
  }
  if (check_.count() != before) return;
  check_overlaps(b, paths);
  m_.buckets.push_back(std::move(b));
}

void Builder::notifications(const Json& nc, const std::string& path, std::string_view list,
                            BucketSpec& b, std::vector<std::string>& paths) {
  const Json* v = member(nc, list);
  const std::string list_path = child_path(path, list);
  if (v == nullptr || !check_.expect_array(*v, list_path)) return;
  const bool queues = list == "QueueConfigurations";
  for (rapidjson::SizeType i = 0; i < v->Size(); ++i) {
    NotificationSpec n;
    n.destination.type = queues ? "queue" : "function";
    const std::string n_path = index_path(list_path, i);
    if (notification((*v)[i], n_path, queues ? "QueueArn" : "LambdaFunctionArn", n)) {
      b.notifications.push_back(std::move(n));
      paths.push_back(n_path);
    }
  }
}

bool Builder::notification(const Json& v, const std::string& path, std::string_view arn_key,
                           NotificationSpec& n) {
  const std::size_t before = check_.count();
  if (!check_.expect_object(v, path)) return false;
  check_.check_keys(v, path, {"Id", arn_key, "Events", "Filter"});
  check_.read_string(v, path, "Id", n.id);
  if (const Json* arn = check_.required(v, path, arn_key)) {
    const std::string arn_path = child_path(path, arn_key);
    const bool to_queue = n.destination.type == "queue";
    auto name = to_queue ? queue_ref(*arn, arn_path) : function_ref(*arn, arn_path);
    if (name) n.destination.name = *name;
    const QueueSpec* q = name && to_queue ? find_queue(*name) : nullptr;
    if (q != nullptr && q->fifo) {
      check_.problem(arn_path, in_quotes(q->name) +
                                   " is a FIFO queue: S3 event notifications "
                                   "can target only standard queues");
    }
  }
  if (const Json* e = check_.required(v, path, "Events")) events(*e, child_path(path, "Events"), n);
  if (const Json* f = member(v, "Filter")) filter(*f, child_path(path, "Filter"), n);
  return check_.count() == before;
}

void Builder::events(const Json& v, const std::string& path, NotificationSpec& n) {
  if (!check_.expect_array(v, path)) return;
  if (v.Empty()) check_.problem(path, "expected at least one event, such as s3:ObjectCreated:*");
  for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
    const std::string e_path = index_path(path, i);
    auto event = check_.string(v[i], e_path);
    if (!event) continue;
    if (std::find(std::begin(kS3Events), std::end(kS3Events), *event) == std::end(kS3Events)) {
      check_.problem(e_path, in_quotes(*event) + " is not a supported S3 event: expected one of: " +
                                 s3_event_list());
    } else {
      n.events.push_back(*event);
    }
  }
}

void Builder::filter(const Json& v, const std::string& path, NotificationSpec& n) {
  if (!check_.expect_object(v, path)) return;
  check_.check_keys(v, path, {"Key"});
  const Json* key = member(v, "Key");
  const std::string key_path = child_path(path, "Key");
  if (key == nullptr || !check_.expect_object(*key, key_path)) return;
  check_.check_keys(*key, key_path, {"FilterRules"});
  const Json* rules = member(*key, "FilterRules");
  const std::string rules_path = child_path(key_path, "FilterRules");
  if (rules == nullptr || !check_.expect_array(*rules, rules_path)) return;
  std::set<std::string> seen;  // "prefix", "suffix": each at most once
  for (rapidjson::SizeType i = 0; i < rules->Size(); ++i) {
    filter_rule((*rules)[i], index_path(rules_path, i), n, seen);
  }
}

void Builder::filter_rule(const Json& v, const std::string& path, NotificationSpec& n,
                          std::set<std::string>& seen) {
  if (!check_.expect_object(v, path)) return;
  check_.check_keys(v, path, {"Name", "Value"});
  const Json* name_v = check_.required(v, path, "Name");
  const Json* value_v = check_.required(v, path, "Value");
  auto name = name_v ? check_.string(*name_v, child_path(path, "Name")) : std::nullopt;
  auto value = value_v ? check_.string(*value_v, child_path(path, "Value")) : std::nullopt;
  if (!name) return;
  std::string kind = *name;
  std::transform(kind.begin(), kind.end(), kind.begin(), [](unsigned char c) {
    return static_cast<char>(std::tolower(c));  // S3 accepts "Prefix" as well as "prefix"
  });
  if (kind != "prefix" && kind != "suffix") {
    check_.problem(child_path(path, "Name"), in_quotes(*name) +
                                                 " is not a filter rule name: "
                                                 "expected \"prefix\" or \"suffix\"");
  } else if (!seen.insert(kind).second) {
    check_.problem(path, "Cannot specify more than one " + kind + " rule in a filter.");
  } else if (value) {
    (kind == "prefix" ? n.prefix : n.suffix) = *value;
  }
}

void Builder::check_overlaps(const BucketSpec& b, const std::vector<std::string>& paths) {
  for (std::size_t j = 1; j < b.notifications.size(); ++j) {
    for (std::size_t i = 0; i < j; ++i) {
      const NotificationSpec& x = b.notifications[i];
      const NotificationSpec& y = b.notifications[j];
      if (!share_event(x, y) || !filters_overlap(x, y)) continue;
      check_.problem(paths[j],
                     "Configurations overlap. Configurations on the same bucket cannot "
                     "share a common event type. (It overlaps " +
                         paths[i] + ".)");
      break;
    }
  }
}

}  // namespace slipway::app::manifest_detail
