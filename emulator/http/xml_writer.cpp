#include "http/xml_writer.h"

#include <cassert>
#include <cstdint>

namespace slipway::http {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the valid UTF-8 sequence starting at text[i], or 0 when it is not valid.
size_t utf8_sequence_length(std::string_view text, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<uint8_t>(text[k]); };
  const uint8_t lead = byte(i);
  size_t len = 0;
  uint32_t cp = 0;
  if (lead >= 0xC2 && lead <= 0xDF) { len = 2; cp = lead & 0x1F; }
  else if (lead >= 0xE0 && lead <= 0xEF) { len = 3; cp = lead & 0x0F; }
  else if (lead >= 0xF0 && lead <= 0xF4) { len = 4; cp = lead & 0x07; }
  else return 0;
  if (i + len > text.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  const bool overlong = (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
  const bool surrogate = cp >= 0xD800 && cp <= 0xDFFF;
  const bool not_xml_char = cp == 0xFFFE || cp == 0xFFFF || cp > 0x10FFFF;
  return overlong || surrogate || not_xml_char ? 0 : len;
}

}  // namespace

void xml_escape_into(std::string& out, std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    switch (c) {
      case '&': out += "&amp;"; continue;
      case '<': out += "&lt;"; continue;
      case '>': out += "&gt;"; continue;
      case '"': out += "&quot;"; continue;
      case '\r': out += "&#xD;"; continue;
      case '\t':
      case '\n': out += c; continue;
      default: break;
    }
    const auto byte = static_cast<uint8_t>(c);
    if (byte < 0x20) {
      out += kReplacement;
    } else if (byte < 0x80) {
      out += c;
    } else if (size_t len = utf8_sequence_length(text, i); len > 0) {
      out.append(text.substr(i, len));
      i += len - 1;
    } else {
      out += kReplacement;
    }
  }
}

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  xml_escape_into(out, text);
  return out;
}

void XmlWriter::flush_start() {
  if (start_pending_) out_ += '>';
  start_pending_ = false;
}

XmlWriter& XmlWriter::open(std::string_view tag, std::string_view xmlns) {
  flush_start();
  out_ += '<';
  out_ += tag;
  if (!xmlns.empty()) {
    out_ += " xmlns=\"";
    xml_escape_into(out_, xmlns);
    out_ += '"';
  }
  open_.emplace_back(tag);
  start_pending_ = true;
  return *this;
}

XmlWriter& XmlWriter::close() {
  assert(!open_.empty());
  if (start_pending_) {
    out_ += "/>";
    start_pending_ = false;
  } else {
    out_ += "</";
    out_ += open_.back();
    out_ += '>';
  }
  open_.pop_back();
  return *this;
}

XmlWriter& XmlWriter::leaf(std::string_view tag, std::string_view text) {
  flush_start();
  out_ += '<';
  out_ += tag;
  out_ += '>';
  xml_escape_into(out_, text);
  out_ += "</";
  out_ += tag;
  out_ += '>';
  return *this;
}

std::string XmlWriter::finish() {
  assert(open_.empty());
  return std::move(out_);
}

}  // namespace slipway::http
