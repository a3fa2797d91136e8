// JSON reading helpers for the manifest loader, and name and ARN syntax.
#include <rapidjson/error/en.h>

#include <algorithm>
#include <cctype>

#include "app/manifest_internal.h"

namespace slipway::app {
namespace manifest_detail {
namespace {

bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
bool is_name_char(char c) { return is_alnum(c) || c == '-' || c == '_'; }

bool all_of(std::string_view s, bool (*pred)(char)) {
  return std::all_of(s.begin(), s.end(), pred);
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// "unknown property; expected one of: A, B" plus a hint when only the case differs.
std::string unknown_message(std::string_view key, std::initializer_list<std::string_view> allowed) {
  std::string message = "unknown property; expected one of: ";
  std::string hint;
  bool first = true;
  for (std::string_view a : allowed) {
    message += (first ? "" : ", ") + std::string(a);
    first = false;
    if (lower(a) == lower(key)) hint = " (did you mean " + std::string(a) + "?)";
  }
  return message + hint;
}

bool is_ipv4_like(std::string_view name) {
  int groups = 1;
  for (char c : name) {
    if (c == '.')
      ++groups;
    else if (!is_digit(c))
      return false;
  }
  return groups == 4;
}

}  // namespace

std::string child_path(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string index_path(const std::string& path, std::size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

const Json* member(const Json& obj, std::string_view key) {
  for (auto it = obj.MemberBegin(); it != obj.MemberEnd(); ++it) {
    if (std::string_view(it->name.GetString(), it->name.GetStringLength()) == key)
      return &it->value;
  }
  return nullptr;
}

std::string as_text(const Json& v) { return std::string(v.GetString(), v.GetStringLength()); }

std::string describe(const Json& v) {
  if (v.IsNull()) return "null";
  if (v.IsBool()) return "a boolean";
  if (v.IsNumber()) return v.IsDouble() ? "a decimal number" : "an integer";
  if (v.IsString()) return "a string";
  if (v.IsArray()) return "an array";
  return "an object";
}

std::string in_quotes(std::string_view s) { return "'" + std::string(s) + "'"; }

std::string range_message(std::string_view number, const Range& range) {
  std::string message = std::string(number) + " is out of range: expected an integer ";
  if (range.hi == kNoMax) {
    message += "of at least " + std::to_string(range.lo);
  } else {
    message += "from " + std::to_string(range.lo) + " to " + std::to_string(range.hi);
  }
  if (!range.unit.empty()) message += " (" + std::string(range.unit) + ")";
  return message;
}

void Checker::problem(const std::string& path, std::string_view message) {
  problems_.push_back(file_label_ + ": " + (path.empty() ? "(top level)" : path) + ": " +
                      std::string(message));
}

bool Checker::expect_object(const Json& v, const std::string& path) {
  if (v.IsObject()) return true;
  problem(path, "expected an object, got " + describe(v));
  return false;
}

bool Checker::expect_array(const Json& v, const std::string& path) {
  if (v.IsArray()) return true;
  problem(path, "expected an array, got " + describe(v));
  return false;
}

std::optional<std::string> Checker::string(const Json& v, const std::string& path) {
  if (v.IsString()) return as_text(v);
  problem(path, "expected a string, got " + describe(v));
  return std::nullopt;
}

std::optional<bool> Checker::boolean(const Json& v, const std::string& path) {
  if (v.IsBool()) return v.GetBool();
  problem(path, "expected a boolean (true or false), got " + describe(v));
  return std::nullopt;
}

std::optional<int> Checker::integer(const Json& v, const std::string& path, const Range& range) {
  if (!v.IsNumber() || v.IsDouble()) {
    problem(path, "expected an integer, got " + describe(v));
    return std::nullopt;
  }
  if (!v.IsInt64()) {  // above INT64_MAX: out of every range we have
    problem(path, range_message(std::to_string(v.GetUint64()), range));
    return std::nullopt;
  }
  const int64_t n = v.GetInt64();
  if (n < range.lo || n > range.hi || n > std::numeric_limits<int>::max()) {
    problem(path, range_message(std::to_string(n), range));
    return std::nullopt;
  }
  return static_cast<int>(n);
}

void Checker::check_keys(const Json& obj, const std::string& path,
                         std::initializer_list<std::string_view> allowed) {
  for (auto it = obj.MemberBegin(); it != obj.MemberEnd(); ++it) {
    const std::string key = as_text(it->name);
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      problem(child_path(path, key), unknown_message(key, allowed));
    } else {
      is_repeat(obj, it, path);
    }
  }
}

bool Checker::is_repeat(const Json& obj, const Json::ConstMemberIterator& it,
                        const std::string& path) {
  for (auto prior = obj.MemberBegin(); prior != it; ++prior) {
    if (prior->name == it->name) {
      problem(child_path(path, as_text(it->name)), "duplicate property: each name may appear once");
      return true;
    }
  }
  return false;
}

const Json* Checker::required(const Json& obj, const std::string& path, std::string_view key) {
  const Json* v = member(obj, key);
  if (v == nullptr) problem(path, "missing required property " + std::string(key));
  return v;
}

bool Checker::read_string(const Json& obj, const std::string& path, std::string_view key,
                          std::string& out) {
  const Json* v = member(obj, key);
  if (v == nullptr) return true;
  auto s = string(*v, child_path(path, key));
  if (s) out = std::move(*s);
  return s.has_value();
}

bool Checker::read_bool(const Json& obj, const std::string& path, std::string_view key, bool& out) {
  const Json* v = member(obj, key);
  if (v == nullptr) return true;
  auto b = boolean(*v, child_path(path, key));
  if (b) out = *b;
  return b.has_value();
}

bool Checker::read_int(const Json& obj, const std::string& path, std::string_view key,
                       const Range& range, int& out) {
  std::optional<int> value;
  const bool ok = read_int(obj, path, key, range, value);
  if (value) out = *value;
  return ok;
}

bool Checker::read_int(const Json& obj, const std::string& path, std::string_view key,
                       const Range& range, std::optional<int>& out) {
  const Json* v = member(obj, key);
  if (v == nullptr) return true;
  auto n = integer(*v, child_path(path, key), range);
  if (n) out = *n;
  return n.has_value();
}

bool is_function_name(std::string_view name) {
  return !name.empty() && name.size() <= 64 && all_of(name, is_name_char);
}

bool is_queue_name(std::string_view name, int chars_max) {
  if (name.size() > static_cast<std::size_t>(chars_max)) return false;
  std::string_view base = name;
  if (base.ends_with(".fifo")) base.remove_suffix(5);
  return !base.empty() && all_of(base, is_name_char);
}

bool is_bucket_name(std::string_view name) {
  if (name.size() < 3 || name.size() > 63) return false;
  auto allowed = [](char c) { return is_lower(c) || is_digit(c) || c == '.' || c == '-'; };
  if (!std::all_of(name.begin(), name.end(), allowed)) return false;
  auto edge = [](char c) { return is_lower(c) || is_digit(c); };
  if (!edge(name.front()) || !edge(name.back())) return false;
  return name.find("..") == std::string_view::npos && !is_ipv4_like(name);
}

bool is_region(std::string_view region) {
  // [a-z]{2} then one or more "-word" groups, then "-<digit>".
  if (region.size() < 6 || !is_lower(region[0]) || !is_lower(region[1])) return false;
  if (region[2] != '-' || region[region.size() - 2] != '-' || !is_digit(region.back())) {
    return false;
  }
  std::string_view middle = region.substr(3, region.size() - 5);  // the words between
  if (middle.empty() || middle.front() == '-' || middle.back() == '-') return false;
  if (middle.find("--") != std::string_view::npos) return false;
  return all_of(middle, [](char c) { return is_lower(c) || c == '-'; });
}

bool is_account_id(std::string_view account) {
  return account.size() == 12 && all_of(account, is_digit);
}

bool is_env_key(std::string_view key) {
  auto tail = [](char c) { return is_alnum(c) || c == '_'; };
  return key.size() >= 2 && std::isalpha(static_cast<unsigned char>(key[0])) &&
         std::all_of(key.begin() + 1, key.end(), tail);
}

std::optional<Arn> parse_arn(std::string_view text) {
  std::string parts[5];
  for (std::string& part : parts) {  // the resource, last, may itself hold ':'
    const auto colon = text.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    part = std::string(text.substr(0, colon));
    text.remove_prefix(colon + 1);
  }
  if (parts[0] != "arn") return std::nullopt;
  return Arn{parts[1], parts[2], parts[3], parts[4], std::string(text)};
}

std::string queue_arn(const Settings& settings, std::string_view name) {
  return "arn:aws:sqs:" + settings.region + ":" + settings.account_id + ":" + std::string(name);
}

std::string function_arn(const Settings& settings, std::string_view name) {
  return "arn:aws:lambda:" + settings.region + ":" + settings.account_id +
         ":function:" + std::string(name);
}

std::string parse_error_problem(const std::string& file_label, const std::string& text,
                                rapidjson::ParseErrorCode code, std::size_t offset) {
  offset = std::min(offset, text.size());
  const std::size_t line = 1 + std::count(text.begin(), text.begin() + offset, '\n');
  const std::size_t line_start = text.rfind('\n', offset == 0 ? 0 : offset - 1);
  const std::size_t column =
      line_start == std::string::npos || line == 1 ? offset + 1 : offset - line_start;
  return file_label + ": line " + std::to_string(line) + ", column " + std::to_string(column) +
         " (offset " + std::to_string(offset) + "): invalid JSON: " + GetParseError_En(code);
}

}  // namespace manifest_detail

}  // namespace slipway::app
