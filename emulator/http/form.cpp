#include "http/form.h"

#include <algorithm>
#include <charconv>

namespace slipway::http {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Upper bound on an index, so "Attribute.99999999999" cannot make anyone allocate or loop.
constexpr int kMaxIndex = 1'000'000;

}  // namespace

std::string url_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+' && plus_is_space) {
      out += ' ';
    } else if (c == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
               hex_value(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

FormParams FormParams::parse(std::string_view encoded) {
  FormParams params;
  while (!encoded.empty()) {
    const size_t amp = encoded.find('&');
    const std::string_view piece = encoded.substr(0, amp);
    encoded = amp == std::string_view::npos ? std::string_view{} : encoded.substr(amp + 1);
    if (piece.empty()) continue;
    const size_t eq = piece.find('=');
    if (eq == std::string_view::npos) {
      params.add(url_decode(piece), "");
    } else {
      params.add(url_decode(piece.substr(0, eq)), url_decode(piece.substr(eq + 1)));
    }
  }
  return params;
}

void FormParams::merge(const FormParams& other) {
  for (const auto& [key, value] : other.pairs_) pairs_.emplace(key, value);
}

void FormParams::add(std::string key, std::string value) {
  pairs_.emplace(std::move(key), std::move(value));
}

bool FormParams::has(std::string_view key) const { return pairs_.find(key) != pairs_.end(); }

const std::string* FormParams::get(std::string_view key) const {
  auto it = pairs_.find(key);  // multimap::find may return any equal key: take the first
  if (it == pairs_.end()) return nullptr;
  return &pairs_.lower_bound(key)->second;
}

std::vector<std::string> FormParams::all(std::string_view key) const {
  std::vector<std::string> values;
  auto [first, last] = pairs_.equal_range(key);
  for (auto it = first; it != last; ++it) values.push_back(it->second);
  return values;
}

std::vector<int> FormParams::indexes(std::string_view prefix) const {
  std::string head(prefix);
  head += '.';
  std::vector<int> found;
  for (auto it = pairs_.lower_bound(head); it != pairs_.end(); ++it) {
    const std::string& key = it->first;
    if (key.compare(0, head.size(), head) != 0) break;
    const char* begin = key.data() + head.size();
    const char* end = key.data() + key.size();
    if (begin == end || *begin == '0') continue;  // "Attribute.01" is not Attribute.1
    int index = 0;
    auto [ptr, ec] = std::from_chars(begin, end, index);
    if (ec != std::errc() || ptr == begin || index < 1 || index > kMaxIndex) continue;
    if (ptr != end && *ptr != '.') continue;
    found.push_back(index);
  }
  std::sort(found.begin(), found.end());
  found.erase(std::unique(found.begin(), found.end()), found.end());
  return found;
}

}  // namespace slipway::http
