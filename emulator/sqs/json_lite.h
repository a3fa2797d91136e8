// json_lite: a tiny JSON reader/writer for the small documents SQS keeps in queue attributes
// (RedrivePolicy, RedriveAllowPolicy, Policy) and in move-task handles. The core may not use
// RapidJSON (DESIGN rule 3), and these documents are a few hundred bytes, so a plain recursive
// parser is enough. Numbers keep their source text (no precision loss, no locale).
//
// Contract: parse() accepts exactly RFC 8259 JSON (one value, surrounding whitespace allowed,
// nesting depth <= 64) and returns nullopt for anything else. dump() writes compact JSON with
// object members in insertion order, which is also the order parse() preserves.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace slipway::sqs::json {

struct Value {
  enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject };
  Kind kind = Kind::kNull;
  bool boolean = false;
  std::string text;  // kNumber: the number's source text; kString: the decoded string
  std::vector<Value> items;                            // kArray
  std::vector<std::pair<std::string, Value>> members;  // kObject, in order

  static Value string(std::string s);
  static Value number(long long n);
  static Value object();
  static Value array();

  bool is_object() const { return kind == Kind::kObject; }
  bool is_string() const { return kind == Kind::kString; }
  bool is_number() const { return kind == Kind::kNumber; }
  bool is_array() const { return kind == Kind::kArray; }
  // The member named `key`, or null when absent (or when this is not an object).
  const Value* find(std::string_view key) const;
  Value* find(std::string_view key);
  // Sets (replacing) or appends member `key`. REQUIRES: is_object().
  void set(std::string key, Value v);
};

std::optional<Value> parse(std::string_view text);
std::string dump(const Value& v);
// `s` as a JSON string literal, quotes included.
std::string quote(std::string_view s);

}  // namespace slipway::sqs::json
