#include "sqs/message_checks.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "core/digest.h"
#include "core/utf8.h"

namespace slipway::sqs {

namespace {

bool allowed_code_point(uint32_t cp) {
  return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
         (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    char p = prefix[i];
    if (p >= 'A' && p <= 'Z') p = static_cast<char>(p - 'A' + 'a');
    if (c != p) return false;
  }
  return true;
}

bool name_char(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.' || c >= 0x80;  // AWS accepts non-ASCII letters (e.g. "attr.1øßä")
}

std::optional<SqsError> check_attribute_name(const std::string& name) {
  if (name.size() > 256) {
    return invalid_parameter_plain("Message (user) attribute names must be shorter than 256 Bytes");
  }
  for (unsigned char c : name) {
    if (!name_char(c)) {
      return invalid_parameter_plain(
          "Message (user) attributes name can only contain upper and lower score characters, "
          "digits, periods, hyphens and underscores. ");
    }
  }
  if (name.empty() || starts_with_ci(name, "AWS.") || starts_with_ci(name, "Amazon.") ||
      name.front() == '.' || name.back() == '.' || name.find("..") != std::string::npos) {
    return invalid_parameter_plain(
        "You can't use message attribute names beginning with 'AWS.' or 'Amazon.'. These strings "
        "are reserved for internal use. Additionally, they cannot start or end with '.'.");
  }
  return std::nullopt;
}

// "String", "Number", "Binary", or one of those followed by ".<custom>".
std::string base_type(const std::string& data_type) {
  for (const char* base : {"String", "Number", "Binary"}) {
    const std::string b = base;
    if (data_type == b) return b;
    if (data_type.size() > b.size() + 1 && data_type.compare(0, b.size(), b) == 0 &&
        data_type[b.size()] == '.') {
      return b;
    }
  }
  return "";
}

// A decimal number: optional sign, digits with an optional fraction, optional exponent.
bool valid_number(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  size_t digits = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
  }
  if (digits == 0 || digits > 38) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    size_t exp_digits = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  return i == s.size();
}

std::optional<SqsError> check_attribute_value(const std::string& name, const AttributeValue& v) {
  if (v.data_type.empty()) {
    return invalid_parameter_plain("The message attribute '" + name +
                                   "' must contain non-empty message attribute type.");
  }
  const std::string base = base_type(v.data_type);
  if (base.empty() || v.data_type.size() > 256) {
    return invalid_parameter_plain(
        "The type of message (user) attribute '" + name +
        "' is invalid. You must use only the following supported type prefixes: Binary, Number, "
        "String.");
  }
  const bool binary = base == "Binary";
  if ((binary && v.binary_value.empty()) || (!binary && v.string_value.empty())) {
    return invalid_parameter_plain("Message (user) attribute '" + name +
                                   "' must contain a non-empty value of type '" + base + "'.");
  }
  if (base == "Number" && !valid_number(v.string_value)) {
    return invalid_parameter_plain("Can't cast the value of message (user) attribute '" + name +
                                   "' to a number.");
  }
  if (!binary && !valid_message_characters(v.string_value)) return invalid_message_contents();
  return std::nullopt;
}

void append_u32(std::string& out, size_t n) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((n >> shift) & 0xFF));
}

}  // namespace

SqsError invalid_parameter_plain(const std::string& message) {
  return sqs_error(SqsErrorCode::kInvalidParameterValue, message);
}

bool valid_message_characters(std::string_view text) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHighBits = 0x8080808080808080ULL;
  size_t i = 0;
  while (i < text.size()) {
    // Printable ASCII, most bodies, needs no decoding: eight bytes at a time while every one is
    // in 0x20..0x7F (no high bit set, and none below 0x20: the subtraction would borrow).
    uint64_t w = 0;
    if (i + sizeof w <= text.size()) {
      std::memcpy(&w, text.data() + i, sizeof w);
      if (((w | (w - 0x20 * kOnes)) & kHighBits) == 0) {
        i += sizeof w;
        continue;
      }
    }
    const auto b = static_cast<unsigned char>(text[i]);
    if (b >= 0x20 && b < 0x80) {
      ++i;
      continue;
    }
    uint32_t cp = 0;
    if (!core::next_code_point(text, i, cp) || !allowed_code_point(cp)) return false;
  }
  return true;
}

SqsError invalid_message_contents() {
  return sqs_error(SqsErrorCode::kInvalidMessageContents,
                   "Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 "
                   "to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF");
}

std::optional<SqsError> check_message_attributes(const MessageAttributes& attrs) {
  if (attrs.size() > 10) {
    return invalid_parameter_plain("Number of message attributes [" + std::to_string(attrs.size()) +
                                   "] exceeds the allowed maximum [10].");
  }
  for (const auto& [name, value] : attrs) {
    if (auto err = check_attribute_name(name)) return err;
    if (auto err = check_attribute_value(name, value)) return err;
  }
  return std::nullopt;
}

std::optional<SqsError> check_system_attributes(const MessageAttributes& attrs) {
  for (const auto& [name, value] : attrs) {
    if (name != "AWSTraceHeader") {
      return invalid_parameter_plain("Message system attribute name '" + name + "' is invalid.");
    }
    if (value.data_type != "String" || value.string_value.empty()) {
      return invalid_parameter_plain("Message system attribute '" + name +
                                     "' must contain a non-empty value of type 'String'.");
    }
  }
  return std::nullopt;
}

int64_t message_size(const SendMessageEntry& entry) {
  auto size = static_cast<int64_t>(entry.message_body.size());
  for (const auto& [name, v] : entry.message_attributes) {
    size += static_cast<int64_t>(name.size() + v.data_type.size() + v.string_value.size() +
                                 v.binary_value.size());
  }
  return size;
}

std::string md5_of_attributes(const MessageAttributes& attrs) {
  if (attrs.empty()) return "";
  std::string buf;
  for (const auto& [name, v] : attrs) {
    append_u32(buf, name.size());
    buf += name;
    append_u32(buf, v.data_type.size());
    buf += v.data_type;
    const bool binary = base_type(v.data_type) == "Binary";
    const std::string& value = binary ? v.binary_value : v.string_value;
    buf.push_back(binary ? 2 : 1);
    append_u32(buf, value.size());
    buf += value;
  }
  return core::md5_hex(buf);
}

bool valid_fifo_token(std::string_view s) {
  if (s.empty() || s.size() > 128) return false;
  for (char c : s) {
    if (c < 0x21 || c > 0x7E) return false;  // alphanumerics and ASCII punctuation, no space
  }
  return true;
}

SqsError invalid_fifo_token(const std::string& parameter, const std::string& value) {
  return invalid_parameter(parameter, value,
                           parameter +
                               " can only include alphanumeric and punctuation characters. 1 to "
                               "128 in length.");
}

bool valid_batch_entry_id(std::string_view id) {
  if (id.empty() || id.size() > 80) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::optional<SqsError> check_batch_ids(const std::vector<std::string>& ids, int max_entries,
                                        const std::string& entry_kind) {
  if (ids.empty()) {
    return sqs_error(SqsErrorCode::kEmptyBatchRequest,
                     "There should be at least one " + entry_kind + " in the request.");
  }
  if (static_cast<int>(ids.size()) > max_entries) {
    return sqs_error(SqsErrorCode::kTooManyEntriesInBatchRequest,
                     "Maximum number of entries per request are " + std::to_string(max_entries) +
                         ". You have sent " + std::to_string(ids.size()) + ".");
  }
  for (size_t i = 0; i < ids.size(); ++i) {
    const std::string& id = ids[i];
    if (!valid_batch_entry_id(id)) {
      return sqs_error(SqsErrorCode::kInvalidBatchEntryId,
                       "A batch entry id can only contain alphanumeric characters, hyphens and "
                       "underscores. It can be at most 80 letters long.");
    }
    // At most max_entries ids (10 on AWS): comparing pairs beats building a set.
    if (std::find(ids.begin(), ids.begin() + i, id) != ids.begin() + i) {
      return sqs_error(SqsErrorCode::kBatchEntryIdsNotDistinct, "Id " + id + " repeated.");
    }
  }
  return std::nullopt;
}

bool valid_queue_name(std::string_view name, bool fifo, int max_chars) {
  if (name.empty() || static_cast<int>(name.size()) > max_chars) return false;
  std::string_view stem = name;
  if (fifo) {
    if (name.size() <= 5 || name.substr(name.size() - 5) != ".fifo") return false;
    stem = name.substr(0, name.size() - 5);
  }
  for (char c : stem) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace slipway::sqs
