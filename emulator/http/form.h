// application/x-www-form-urlencoded parameters: the Query protocol's request body (POST) and
// query string (GET). Decoding follows the HTML form rules that AWS SDKs encode for: '+' is a
// space, %XX is a byte (so "%2B" is a literal '+' and "%0D%0A" is CR LF); a malformed escape is
// kept as literal text rather than rejected. A key may repeat; a key without '=' has an empty
// value.
//
// Lookups understand AWS's flattened lists: `Attribute.1.Name`, `Attribute.2.Name`, ... are
// found with indexes("Attribute") -> {1, 2}.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace slipway::http {

// Percent-decodes `text`; with `plus_is_space`, '+' decodes to ' '.
std::string url_decode(std::string_view text, bool plus_is_space = true);

class FormParams {
 public:
  // Parses "a=1&b=2"; empty pieces ("a=1&&b=2") are skipped.
  static FormParams parse(std::string_view encoded);

  // Appends every pair of `other` after this one's (an earlier value wins in get()).
  void merge(const FormParams& other);
  void add(std::string key, std::string value);

  bool has(std::string_view key) const;
  // The first value given for `key`, or nullptr.
  const std::string* get(std::string_view key) const;
  // Every value given for `key`, in arrival order.
  std::vector<std::string> all(std::string_view key) const;

  // The distinct indexes N (N >= 1) of keys "<prefix>.N" and "<prefix>.N.<anything>", ascending.
  // A non-numeric or zero index is not an index.
  std::vector<int> indexes(std::string_view prefix) const;

  size_t size() const { return pairs_.size(); }

 private:
  std::multimap<std::string, std::string, std::less<>> pairs_;
};

}  // namespace slipway::http
