// The SQS endpoints on the edge port (DESIGN §5, rules 1, 2, 6, 8): both wire protocols, one
// action table, one gate.
//
// The action table is data: one row per action naming its Query decoder, JSON decoder, service
// call, Query encoder, JSON encoder and how it uses a queue URL. The gate runs the shared steps
// for every request, in this order:
//   1. protocol: X-Amz-Target (or a JSON 1.x content type) -> JSON 1.0; else Query, with the
//      Action and parameters from the form body and/or the query string;
//   2. action: unknown -> InvalidAction "The action FooBar is not valid for this endpoint.";
//      a queue-less action (CreateQueue, ListQueues) sent to a queue path -> the same error;
//   3. queue: from the QueueUrl parameter (a URL with any host, a path or a bare name), else the
//      request path /<account>/<queue>; neither -> MissingParameter QueueUrl;
//   4. decode (missing required parameter -> MissingParameter, malformed number, base64 or JSON
//      -> InvalidParameterValue), with RequestContext{Host header, X-Amzn-Trace-Id};
//   5. run the service call (the handler is on the loop thread, inside the request's pass);
//   6. encode in the request's protocol; every answer carries x-amzn-RequestId.
// The server releases the answer once the pass has committed (a failed commit -> 500).
// ReceiveMessage may park: it is answered from the pass that wakes or expires it.
#pragma once

#include "http/server.h"
#include "sqs/service.h"

namespace slipway::http {

// POST and GET on "/" and on queue URL paths /<12-digit account>/<queue name>.
bool is_sqs_request(const Request& request);

// Loop thread, inside a pass (a Server handler). `service` must outlive every reply.
void handle_sqs(const Request& request, Reply reply, sqs::SqsService& service);

}  // namespace slipway::http
