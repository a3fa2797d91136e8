// The Lambda API on the edge port (DESIGN §5): Invoke, ListFunctions, GetFunction and
// GetFunctionConfiguration under /2015-03-31/functions; Put/Get/DeleteFunctionConcurrency and
// GetAccountSettings under their own API dates (http/lambda_rest.h lists the paths). The codec
// decodes and encodes; this gate resolves the function against the LambdaService, runs the call
// on the loop thread and answers when the invocation is over (a RequestResponse invoke parks its
// connection, not a thread, until the runtime answers). Reservations live in the service:
// PutFunctionConcurrency changes them for the next invocations, and GetFunction, GetFunctionConcurrency
// and GetAccountSettings read them back from it.
#pragma once

#include "core/clock.h"
#include "core/limits.h"
#include "http/lambda_rest.h"
#include "http/server.h"
#include "lambda/service.h"

namespace slipway::http {

struct LambdaEdge {
  lambda::LambdaService* service = nullptr;
  lambda_rest::Site site;
  lambda_rest::PayloadLimits limits;
  core::TimeUs started_us = 0;  // LastModified of every function: when the manifest was loaded
};

bool is_lambda_request(const Request& request);

// Loop thread, inside a pass (a Server handler). `edge.service` must outlive every reply.
void handle_lambda(const Request& request, Reply reply, const LambdaEdge& edge);

}  // namespace slipway::http
