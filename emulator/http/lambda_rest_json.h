// Private to the Lambda REST codec (http/lambda_rest*.cpp): the JSON and response helpers its
// files share. Not part of the codec's interface; include it only from those files.
#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "http/lambda_rest.h"

namespace slipway::http::lambda_rest::detail {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

inline LambdaError error(LambdaErrorCode code, std::string message) { return LambdaError{code, std::move(message)}; }

// AWS's framework-level constraint message: "1 validation error detected: Value 'x' at 'field'
// failed to satisfy constraint: <constraint>".
inline LambdaError validation(std::string_view value, std::string_view field, std::string_view constraint) {
  return error(LambdaErrorCode::kValidation, "1 validation error detected: Value '" + std::string(value) +
                                                 "' at '" + std::string(field) +
                                                 "' failed to satisfy constraint: " + std::string(constraint));
}

inline Response json_response(int status, std::string body, std::string_view request_id) {
  Response r;
  r.status = status;
  r.set_content(std::move(body), kContentType);
  r.set_header("x-amzn-RequestId", std::string(request_id));
  return r;
}

inline Response empty_response(int status, std::string_view request_id) {
  Response r;
  r.status = status;
  r.set_header("x-amzn-RequestId", std::string(request_id));
  return r;
}

inline void put(JsonWriter& w, const char* key, std::string_view value) {
  w.Key(key);
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

inline void put_int(JsonWriter& w, const char* key, int64_t value) {
  w.Key(key);
  w.Int64(value);
}

// A member whose value is an object; `members` writes its members.
template <typename Fn>
void object(JsonWriter& w, const char* key, Fn&& members) {
  w.Key(key);
  w.StartObject();
  members();
  w.EndObject();
}

// A whole JSON object as text; `members` writes its members.
template <typename Fn>
std::string json_object(Fn&& members) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  members(w);
  w.EndObject();
  return buf.GetString();
}

}  // namespace slipway::http::lambda_rest::detail
