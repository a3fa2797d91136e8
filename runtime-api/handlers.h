// Runtime API handlers: one function per endpoint of kRoutes, each turning one call from a
// runtime into one LambdaService call and rendering its answer as the Runtime API does
// (spec/lambda.md §1). No HTTP library: the listener adapter (app/lambda_host) fills a
// RuntimeCall from its request and writes the RuntimeAnswer back.
//
// Answers: 200 + event and Lambda-Runtime-* headers for /next; 202 {"status":"OK"} for accepted
// posts; errors as {"errorMessage": ..., "errorType": ...} with the status the service chose
// (400 InvalidRequestID, 403 InvalidStateTransition, 413 RequestEntityTooLarge), 400
// InvalidFunctionResponseMode for a response mode other than "streaming", 404/405 for paths and
// methods the API does not have, and 500 when an environment's parked /next will never get an
// event (the API's "container error: the runtime should exit").
//
// The error type of /error and /init/error comes from the Lambda-Runtime-Function-Error-Type
// header (most clients put it only in the JSON body, which the service reads). A streamed
// /response that failed midway carries its error in trailers (error type, base64 body): the
// invocation then fails with that error.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "lambda/service.h"
#include "runtime-api/routes.h"

namespace slipway::runtime_api {

struct RuntimeCall {
  std::string method;
  std::string path;           // without the query string
  std::string body;
  std::string error_type;     // Lambda-Runtime-Function-Error-Type header
  std::string response_mode;  // Lambda-Runtime-Function-Response-Mode header
  std::string trailer_error_type;  // trailers of a streamed response
  std::string trailer_error_body;  // base64, as sent
};

struct RuntimeAnswer {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

using Answer = std::function<void(RuntimeAnswer)>;

// Handles one call of environment `env`'s runtime. `answer` runs exactly once: now, or (for a
// parked /next) from the service call that delivers its event.
void handle_runtime_call(lambda::LambdaService& service, lambda::EnvId env, RuntimeCall call, Answer answer);

}  // namespace slipway::runtime_api
