// A small streaming XML writer for the SQS Query protocol's responses.
//
// Escaping matches real SQS (../shared/spec/sqs.md §1.1): & < > as entities, '"' as &quot;, and
// CR as &#xD; — a raw CR would be normalised to LF by the client's XML parser, changing message
// bodies and breaking MD5 checks. Characters XML 1.0 cannot carry at all (C0 controls other than
// TAB, LF, CR; invalid UTF-8) become U+FFFD so the document always parses; the core rejects such
// characters in message bodies, so only echoed error text can contain them.
//
// An element closed with nothing inside is written self-closed (<ReceiveMessageResult/>), as AWS
// writes an empty result.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace slipway::http {

// Appends `text` escaped for an XML text node or attribute value to `out`.
void xml_escape_into(std::string& out, std::string_view text);
std::string xml_escape(std::string_view text);

class XmlWriter {
 public:
  // Opens <tag> (with xmlns="..." when `xmlns` is not empty).
  XmlWriter& open(std::string_view tag, std::string_view xmlns = {});
  // Closes the innermost open element. REQUIRES: one is open.
  XmlWriter& close();
  // <tag>escaped text</tag>.
  XmlWriter& leaf(std::string_view tag, std::string_view text);
  // The document. REQUIRES: every element closed.
  std::string finish();

 private:
  void flush_start();  // completes a pending start tag with '>'

  std::string out_;
  std::vector<std::string> open_;
  bool start_pending_ = false;  // "<tag" written, '>' or '/>' not yet
};

}  // namespace slipway::http
