#include "lambda/names.h"

#include <cstdio>
#include <vector>

namespace slipway::lambda {

namespace {

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    const size_t at = s.find(sep, start);
    parts.push_back(s.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) return parts;
    start = at + 1;
  }
}

bool is_account(std::string_view s) {
  if (s.size() != 12) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

bool all_name_chars(std::string_view s) {
  for (char c : s) {
    if (!is_name_char(c)) return false;
  }
  return true;
}

// "$LATEST", a version number or an alias: 1-128 of [a-zA-Z0-9-_].
bool is_qualifier(std::string_view s) {
  return s == "$LATEST" || (!s.empty() && s.size() <= 128 && all_name_chars(s));
}

// `qualifier` is a null view when none was given ("name:" has an empty, invalid one).
std::optional<FunctionRef> make_ref(std::string_view name, std::string_view qualifier,
                                    std::string_view region, std::string_view account) {
  if (!is_valid_function_name(name)) return std::nullopt;
  if (qualifier.data() != nullptr && !is_qualifier(qualifier)) return std::nullopt;
  return FunctionRef{std::string(name), std::string(qualifier), std::string(region), std::string(account)};
}

}  // namespace

bool is_valid_function_name(std::string_view name) {
  return !name.empty() && name.size() <= 64 && all_name_chars(name);
}

std::optional<FunctionRef> parse_function_ref(std::string_view text) {
  const std::vector<std::string_view> p = split(text, ':');
  switch (p.size()) {
    case 1: return make_ref(p[0], {}, "", "");
    case 2: return make_ref(p[0], p[1], "", "");
    case 3:
    case 4:
      if (!is_account(p[0]) || p[1] != "function") return std::nullopt;
      return make_ref(p[2], p.size() == 4 ? p[3] : std::string_view{}, "", p[0]);
    case 7:
    case 8:
      if (p[0] != "arn" || p[1] != "aws" || p[2] != "lambda" || p[3].empty() || !is_account(p[4]) ||
          p[5] != "function") {
        return std::nullopt;
      }
      return make_ref(p[6], p.size() == 8 ? p[7] : std::string_view{}, p[3], p[4]);
    default: return std::nullopt;
  }
}

std::string function_arn(std::string_view region, std::string_view account, std::string_view name) {
  return "arn:aws:lambda:" + std::string(region) + ":" + std::string(account) + ":function:" +
         std::string(name);
}

std::string make_trace_id(core::TimeUs now, core::IdGen& ids) {
  char epoch[16];
  std::snprintf(epoch, sizeof epoch, "%08llx",
                static_cast<unsigned long long>(now / core::kUsPerSecond) & 0xffffffffULL);
  std::string root = ids.hex(12);
  std::string parent = ids.hex(8);
  return "Root=1-" + std::string(epoch) + "-" + root + ";Parent=" + parent + ";Sampled=0";
}

}  // namespace slipway::lambda
