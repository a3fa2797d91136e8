// Function names and ARNs as the Invoke API accepts them, and the X-Ray trace ids Lambda mints.
//
// FunctionName (spec/lambda.md §5.1) is a name ("my-fn"), a partial ARN
// ("123456789012:function:my-fn") or a full ARN ("arn:aws:lambda:us-east-1:123456789012:function:my-fn"),
// each optionally qualified (":$LATEST", ":7", ":alias"). Names are 1-64 of [a-zA-Z0-9-_].
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/ids.h"

namespace slipway::lambda {

struct FunctionRef {
  std::string name;
  std::string qualifier;  // empty when none was given
  std::string region;     // empty unless a full ARN
  std::string account;    // empty for a bare name
};

// nullopt when the text has none of the accepted shapes.
std::optional<FunctionRef> parse_function_ref(std::string_view name_or_arn);
bool is_valid_function_name(std::string_view name);

// "arn:aws:lambda:<region>:<account>:function:<name>"
std::string function_arn(std::string_view region, std::string_view account, std::string_view name);

// "Root=1-<8 hex: epoch seconds>-<24 hex>;Parent=<16 hex>;Sampled=0"
std::string make_trace_id(core::TimeUs now, core::IdGen& ids);

}  // namespace slipway::lambda
