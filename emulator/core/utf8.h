// UTF-8 decoding and validation (RFC 3629: no overlong forms, no surrogates, nothing above
// U+10FFFF). Request bodies are validated once, before parsing, so the parsers need not.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace slipway::core {

// Decodes the sequence at `i` into `cp` and advances `i` past it; false on a malformed sequence.
bool next_code_point(std::string_view s, size_t& i, uint32_t& cp);

// The offset of the first byte that does not start a valid sequence; npos when `s` is valid.
// Runs of ASCII are checked eight bytes at a time.
size_t invalid_utf8_at(std::string_view s);

}  // namespace slipway::core
