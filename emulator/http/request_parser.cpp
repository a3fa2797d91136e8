#include "http/request_parser.h"

#include <algorithm>
#include <charconv>

namespace slipway::http {

namespace {

constexpr size_t kMaxChunkLineBytes = 4096;

bool is_token_char(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool is_token(std::string_view s) { return !s.empty() && std::all_of(s.begin(), s.end(), is_token_char); }

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Gathers one CRLF-terminated line from data[pos...] into `line` (without the CRLF). True when
// the line is complete; `overflow` when it outgrew `max`.
bool take_line(std::string_view data, size_t& pos, std::string& line, size_t max, bool& overflow) {
  while (pos < data.size()) {
    const char c = data[pos++];
    if (c == '\n') {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      return true;
    }
    line.push_back(c);
    if (line.size() > max) {
      overflow = true;
      return false;
    }
  }
  return false;
}

}  // namespace

RequestParser::Status RequestParser::fail(int status, std::string message) {
  state_ = State::kError;
  error_status_ = status;
  error_message_ = std::move(message);
  return Status::kError;
}

RequestParser::Status RequestParser::feed(std::string_view data, size_t& consumed) {
  consumed = 0;
  if (state_ == State::kHead) {
    Status s = parse_head(data, consumed);
    if (s != Status::kNeedMore || state_ == State::kHead) return s;
  }
  if (state_ == State::kBody) {
    const size_t n = std::min(body_remaining_, data.size() - consumed);
    request_.body.append(data.substr(consumed, n));
    consumed += n;
    body_remaining_ -= n;
    if (body_remaining_ > 0) return Status::kNeedMore;
    state_ = State::kDone;
    return Status::kComplete;
  }
  if (state_ == State::kDone) return Status::kComplete;
  if (state_ == State::kError) return Status::kError;
  return parse_chunked(data, consumed);
}

RequestParser::Status RequestParser::parse_head(std::string_view data, size_t& consumed) {
  // A client may send stray CRLFs between requests (RFC 9112 §2.2): skip them.
  while (head_.empty() && consumed < data.size() && (data[consumed] == '\r' || data[consumed] == '\n')) ++consumed;
  const size_t before = head_.size();
  const size_t room = kMaxHeadBytes + 4 - std::min(before, kMaxHeadBytes + 4);
  head_.append(data.substr(consumed, std::min(room, data.size() - consumed)));
  const size_t from = head_scanned_ >= 3 ? head_scanned_ - 3 : 0;
  const size_t blank = head_.find("\r\n\r\n", from);
  if (blank == std::string::npos || blank + 4 > kMaxHeadBytes) {
    consumed += head_.size() - before;
    head_scanned_ = head_.size();
    if (head_.size() >= kMaxHeadBytes) return fail(431, "the request line and headers exceed 64 KiB");
    return Status::kNeedMore;
  }
  consumed += blank + 4 - before;
  std::string_view head(head_.data(), blank + 2);  // each line ends in CRLF
  size_t line_end = head.find("\r\n");
  if (!parse_request_line(head.substr(0, line_end))) return Status::kError;
  request_.headers.reserve(16);  // SDK requests carry 8-12; one allocation instead of five
  for (size_t pos = line_end + 2; pos < head.size(); pos = line_end + 2) {
    line_end = head.find("\r\n", pos);
    if (!parse_header_line(head.substr(pos, line_end - pos), request_.headers)) return Status::kError;
  }
  head_.clear();
  head_scanned_ = 0;
  if (!choose_body_mode()) return Status::kError;
  return state_ == State::kDone ? Status::kComplete : Status::kNeedMore;
}

bool RequestParser::parse_request_line(std::string_view line) {
  const size_t sp1 = line.find(' ');
  const size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos) {
    fail(400, "malformed request line");
    return false;
  }
  const std::string_view method = line.substr(0, sp1);
  const std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  const std::string_view version = line.substr(sp2 + 1);
  if (!is_token(method) || target.empty()) {
    fail(400, "malformed request line");
    return false;
  }
  if (version != "HTTP/1.1" && version != "HTTP/1.0") {
    fail(version.substr(0, 5) == "HTTP/" ? 505 : 400, "only HTTP/1.0 and HTTP/1.1 are served");
    return false;
  }
  request_.method = std::string(method);
  request_.target = std::string(target);
  request_.version_minor = version.back() - '0';
  const size_t qmark = target.find('?');
  request_.path = std::string(target.substr(0, qmark));
  request_.query = qmark == std::string_view::npos ? std::string() : std::string(target.substr(qmark + 1));
  return true;
}

bool RequestParser::parse_header_line(std::string_view line, std::vector<Header>& into) {
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos || !is_token(line.substr(0, colon))) {
    fail(400, "malformed header field");  // also rejects obsolete line folding
    return false;
  }
  if (into.size() >= kMaxHeaderFields) {
    fail(431, "more than 200 header fields");
    return false;
  }
  into.push_back(Header{std::string(line.substr(0, colon)), std::string(trim(line.substr(colon + 1)))});
  return true;
}

bool RequestParser::choose_body_mode() {
  if (const std::string* expect = request_.header("Expect")) expect_continue_ = iequals(*expect, "100-continue");
  if (const std::string* te = request_.header("Transfer-Encoding")) {
    const size_t comma = te->rfind(',');
    const std::string_view last = trim(comma == std::string::npos ? std::string_view(*te)
                                                                   : std::string_view(*te).substr(comma + 1));
    if (!iequals(last, "chunked")) {
      fail(501, "transfer coding '" + *te + "' is not supported; send chunked or Content-Length");
      return false;
    }
    state_ = State::kChunkSize;
    return true;
  }
  const std::string* cl = nullptr;
  for (const Header& h : request_.headers) {
    if (!iequals(h.name, "Content-Length")) continue;
    if (cl && *cl != h.value) {
      fail(400, "conflicting Content-Length headers");
      return false;
    }
    cl = &h.value;
  }
  size_t length = 0;
  if (cl) {
    auto [end, ec] = std::from_chars(cl->data(), cl->data() + cl->size(), length);
    if (ec != std::errc() || end != cl->data() + cl->size() || cl->empty()) {
      fail(400, "malformed Content-Length");
      return false;
    }
    if (length > max_body_bytes_) {
      fail(413, "the request body exceeds " + std::to_string(max_body_bytes_) + " bytes");
      return false;
    }
  }
  body_remaining_ = length;
  request_.body.reserve(length);
  state_ = length > 0 ? State::kBody : State::kDone;
  return true;
}

RequestParser::Status RequestParser::parse_chunked(std::string_view data, size_t& pos) {
  bool overflow = false;
  while (pos < data.size() || state_ == State::kDone) {
    switch (state_) {
      case State::kChunkSize: {
        if (!take_line(data, pos, head_, kMaxChunkLineBytes, overflow)) {
          return overflow ? fail(400, "malformed chunk size line") : Status::kNeedMore;
        }
        const std::string_view size_text = trim(std::string_view(head_).substr(0, head_.find(';')));
        size_t size = 0;
        auto [end, ec] = std::from_chars(size_text.data(), size_text.data() + size_text.size(), size, 16);
        if (ec != std::errc() || end != size_text.data() + size_text.size() || size_text.empty()) {
          return fail(400, "malformed chunk size");
        }
        head_.clear();
        if (size > max_body_bytes_ - request_.body.size()) {
          return fail(413, "the request body exceeds " + std::to_string(max_body_bytes_) + " bytes");
        }
        body_remaining_ = size;
        state_ = size == 0 ? State::kTrailers : State::kChunkData;
        break;
      }
      case State::kChunkData: {
        const size_t n = std::min(body_remaining_, data.size() - pos);
        request_.body.append(data.substr(pos, n));
        pos += n;
        body_remaining_ -= n;
        if (body_remaining_ == 0) state_ = State::kChunkDataEnd;
        break;
      }
      case State::kChunkDataEnd:
        if (!take_line(data, pos, head_, 2, overflow)) {
          return overflow ? fail(400, "chunk data longer than its size") : Status::kNeedMore;
        }
        if (!head_.empty()) return fail(400, "chunk data longer than its size");
        state_ = State::kChunkSize;
        break;
      case State::kTrailers:
        if (!take_line(data, pos, head_, kMaxHeadBytes, overflow)) {
          return overflow ? fail(431, "trailer fields exceed 64 KiB") : Status::kNeedMore;
        }
        if (head_.empty()) {
          state_ = State::kDone;
          break;
        }
        if (!parse_header_line(head_, request_.trailers)) return Status::kError;
        head_.clear();
        break;
      case State::kDone: return Status::kComplete;
      default: return Status::kError;
    }
  }
  return Status::kNeedMore;
}

Request RequestParser::take() {
  Request out = std::move(request_);
  reset();
  return out;
}

void RequestParser::reset() {
  request_ = Request{};
  state_ = State::kHead;
  head_.clear();
  head_scanned_ = 0;
  body_remaining_ = 0;
  expect_continue_ = false;
  error_status_ = 0;
  error_message_.clear();
}

}  // namespace slipway::http
