// Private to the manifest loader (manifest*.cpp); not part of app's interface.
//
// Owns: reading RapidJSON values at a JSON path and reporting what was expected when they are
// wrong (Checker), the syntax of names and ARNs, the text of a JSON parse error, and the
// Builder that validates a parsed document into a Manifest (its sections are split over
// manifest.cpp, manifest_lambda.cpp and manifest_s3.cpp). Every read
// either yields a valid value or records one problem "<file>: <path>: <message>"; nothing
// throws. Paths are dotted ("Functions.transform.MemorySize") with indexes for arrays
// ("EventSourceMappings[0].BatchSize"); the top level is "(top level)".
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "app/manifest.h"

namespace slipway::app::manifest_detail {

using Json = rapidjson::Value;

// "a.b" from "a" and "b"; "b" at the top level.
std::string child_path(const std::string& path, std::string_view key);
// "a[3]".
std::string index_path(const std::string& path, std::size_t index);
// The first member named `key`, or nullptr. REQUIRES: obj.IsObject().
const Json* member(const Json& obj, std::string_view key);
std::string as_text(const Json& string_value);  // keeps embedded NULs
std::string describe(const Json& v);            // "a string", "an array", ... for messages

// An allowed integer range; `hi` = kNoMax means "no upper bound".
inline constexpr int64_t kNoMax = std::numeric_limits<int64_t>::max();
struct Range {
  int64_t lo = 0;
  int64_t hi = kNoMax;
  std::string_view unit;  // "MB", "seconds", ...; empty for none
};
std::string range_message(std::string_view number, const Range& range);

class Checker {
 public:
  explicit Checker(std::string file_label) : file_label_(std::move(file_label)) {}

  void problem(const std::string& path, std::string_view message);
  std::size_t count() const { return problems_.size(); }
  ManifestProblems take() { return std::move(problems_); }

  // Type checks on a value; each reports "expected ..., got ..." and returns false on mismatch.
  bool expect_object(const Json& v, const std::string& path);
  bool expect_array(const Json& v, const std::string& path);
  std::optional<std::string> string(const Json& v, const std::string& path);
  std::optional<bool> boolean(const Json& v, const std::string& path);
  std::optional<int> integer(const Json& v, const std::string& path, const Range& range);

  // Reports each member not in `allowed` (listing them, to catch typos) and each repeated one.
  void check_keys(const Json& obj, const std::string& path,
                  std::initializer_list<std::string_view> allowed);
  // Reports a repeated member name; RapidJSON keeps both, so callers must skip the repeat.
  bool is_repeat(const Json& obj, const Json::ConstMemberIterator& it, const std::string& path);
  // Reports "missing required property" unless obj has `key`.
  const Json* required(const Json& obj, const std::string& path, std::string_view key);

  // Reads obj[key] into `out` when present and valid; absent leaves `out` (the default) as is.
  // Returns false only when a problem was reported.
  bool read_string(const Json& obj, const std::string& path, std::string_view key,
                   std::string& out);
  bool read_bool(const Json& obj, const std::string& path, std::string_view key, bool& out);
  bool read_int(const Json& obj, const std::string& path, std::string_view key, const Range& range,
                int& out);
  bool read_int(const Json& obj, const std::string& path, std::string_view key, const Range& range,
                std::optional<int>& out);

 private:
  std::string file_label_;
  ManifestProblems problems_;
};

// Name syntax, as AWS checks it.
bool is_function_name(std::string_view name);              // 1-64 of [A-Za-z0-9_-]
bool is_queue_name(std::string_view name, int chars_max);  // [A-Za-z0-9_-], optional ".fifo"
bool is_bucket_name(std::string_view name);                // S3's general-purpose bucket rules
bool is_region(std::string_view region);                   // [a-z]{2}(-[a-z]+)+-\d
bool is_account_id(std::string_view account);              // exactly 12 digits
bool is_env_key(std::string_view key);                     // [a-zA-Z][a-zA-Z0-9_]+

// arn:<partition>:<service>:<region>:<account>:<resource>
struct Arn {
  std::string partition;
  std::string service;
  std::string region;
  std::string account;
  std::string resource;
};
std::optional<Arn> parse_arn(std::string_view text);
std::string queue_arn(const Settings& settings, std::string_view name);
std::string function_arn(const Settings& settings, std::string_view name);

// One problem naming line, column and offset of a RapidJSON parse error.
std::string parse_error_problem(const std::string& file_label, const std::string& text,
                                rapidjson::ParseErrorCode code, std::size_t offset);

std::string in_quotes(std::string_view s);  // 'like this', for user-written values in messages

// Validates a parsed manifest into `m`, reporting through `check`. Sections run in a fixed
// order: Settings first (the limits profile and AllowLargeMemory decide every later range),
// then the names each section declares (so references can be checked), then Queues,
// Functions, Buckets and EventSourceMappings, each followed by its cross-entity checks. An
// entity with any problem is kept out of the model, and checks that need its properties (is
// it FIFO? its timeout?) skip it, so one mistake yields one problem, not a cascade.
class Builder {
 public:
  Builder(Checker& check, Manifest& m, std::filesystem::path base_dir)
      : check_(check), m_(m), base_dir_(std::move(base_dir)) {}

  void build(const Json& root);

 private:
  using Handler = void (Builder::*)(const std::string&, const Json&, const std::string&);
  bool for_each_entry(const Json& root, std::string_view section, Handler handler);
  void declare(const Json& root, std::string_view section, std::set<std::string>& names,
               bool& listed);
  void settings(const Json& v);

  // Queues (manifest.cpp).
  void queue(const std::string& name, const Json& v, const std::string& path);
  void queue_name(const Json& v, const std::string& path, QueueSpec& q, bool fifo_ok);
  void redrive_policy(const Json& v, const std::string& path, QueueSpec& q);
  void tags(const Json& v, const std::string& path, QueueSpec& q);
  void tag_entry(const Json& v, const std::string& path, QueueSpec& q);
  void tag(const std::string& key, const Json& v, const std::string& path, QueueSpec& q);
  void check_dead_letter_queues();

  // Buckets (manifest_s3.cpp).
  void bucket(const std::string& name, const Json& v, const std::string& path);
  void notifications(const Json& v, const std::string& path, std::string_view list, BucketSpec& b,
                     std::vector<std::string>& paths);
  bool notification(const Json& v, const std::string& path, std::string_view arn_key,
                    NotificationSpec& n);
  void events(const Json& v, const std::string& path, NotificationSpec& n);
  void filter(const Json& v, const std::string& path, NotificationSpec& n);
  void filter_rule(const Json& v, const std::string& path, NotificationSpec& n,
                   std::set<std::string>& seen);
  void check_overlaps(const BucketSpec& b, const std::vector<std::string>& paths);

  // Functions and EventSourceMappings (manifest_lambda.cpp).
  void function(const std::string& name, const Json& v, const std::string& path);
  void code(const Json& v, const std::string& path, FunctionSpec& f);
  void code_uri(const Json& v, const std::string& path, FunctionSpec& f);
  void command(const Json& v, const std::string& path, FunctionSpec& f);
  void memory(const Json& v, const std::string& path, FunctionSpec& f);
  void environment(const Json& v, const std::string& path, FunctionSpec& f);
  void variables(const Json& v, const std::string& path, FunctionSpec& f);
  void event_invoke_config(const Json& v, const std::string& path, FunctionSpec& f);
  std::optional<Destination> destination(const Json& v, const std::string& path);
  void check_reservations();
  void mappings(const Json& root);
  void mapping(const Json& v, const std::string& path);
  void mapping_options(const Json& v, const std::string& path, EventSourceMappingSpec& e);
  void check_mapping(const Json& v, const std::string& path, const EventSourceMappingSpec& e);

  // References: a name in this manifest, or an ARN in its region and account (manifest.cpp).
  std::optional<std::string> queue_ref(const Json& v, const std::string& path);
  std::optional<std::string> function_ref(const Json& v, const std::string& path);
  std::optional<std::string> arn_name(const Arn& arn, const std::string& path);
  std::optional<std::string> existing(const std::string& name, const std::string& path, bool queue);
  std::string queue_ref_format() const;
  std::string function_ref_format() const;
  const QueueSpec* find_queue(const std::string& name) const;
  const FunctionSpec* find_function(const std::string& name) const;

  Checker& check_;
  Manifest& m_;
  std::filesystem::path base_dir_;
  std::set<std::string> function_names_, queue_names_;   // declared, whether valid or not
  bool functions_listed_ = true, queues_listed_ = true;  // false if the section is malformed
  bool region_ok_ = true, account_ok_ = true, pool_ok_ = true;
};

}  // namespace slipway::app::manifest_detail
