// RequestParser: turns the bytes of one HTTP/1.1 connection into Requests, incrementally.
//
// Feed it whatever arrived; it consumes as much as it can and says whether a request is
// complete. Bodies come by Content-Length or chunked transfer coding (chunk extensions ignored,
// trailer fields collected into Request::trailers). Bytes after a complete request stay with the
// caller: they are the next, pipelined, request.
//
// Bounds: the request line plus headers may take kMaxHeadBytes and kMaxHeaderFields; the body
// `max_body_bytes`. A request that breaks the grammar or a bound fails with the status to answer
// (400, 413, 431, 501, 505) and a message; the connection must then close.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "http/message.h"

namespace slipway::http {

class RequestParser {
 public:
  static constexpr size_t kMaxHeadBytes = 64 * 1024;
  static constexpr size_t kMaxHeaderFields = 200;

  explicit RequestParser(size_t max_body_bytes) : max_body_bytes_(max_body_bytes) {}

  enum class Status { kNeedMore, kComplete, kError };

  // Consumes a prefix of `data` and returns its length in `consumed`. kComplete: take() the
  // request; kError: see error_status(). After either, feed nothing more until reset().
  Status feed(std::string_view data, size_t& consumed);

  // True once the head of a request that sent `Expect: 100-continue` is parsed and its body is
  // still to come; the server answers `100 Continue` once.
  bool expects_continue() const { return expect_continue_ && state_ != State::kHead; }
  bool head_parsed() const { return state_ != State::kHead; }

  // REQUIRES: feed() returned kComplete. Leaves the parser ready for the next request.
  Request take();
  void reset();

  int error_status() const { return error_status_; }
  const std::string& error_message() const { return error_message_; }

 private:
  enum class State { kHead, kBody, kChunkSize, kChunkData, kChunkDataEnd, kTrailers, kDone, kError };

  Status parse_head(std::string_view data, size_t& consumed);
  bool parse_request_line(std::string_view line);
  bool parse_header_line(std::string_view line, std::vector<Header>& into);
  bool choose_body_mode();
  Status parse_chunked(std::string_view data, size_t& consumed);
  Status fail(int status, std::string message);

  size_t max_body_bytes_;
  State state_ = State::kHead;
  Request request_;
  size_t head_scanned_ = 0;   // bytes of the head already searched for the blank line
  std::string head_;          // head bytes gathered across feeds
  size_t body_remaining_ = 0;  // Content-Length left, or the current chunk's bytes left
  bool expect_continue_ = false;
  int error_status_ = 0;
  std::string error_message_;
};

}  // namespace slipway::http
