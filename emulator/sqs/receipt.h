// Receipt handles: opaque to clients ("AQEB" + base64, like AWS's), but they carry what the
// service needs to find the receive they came from: the queue, the message (id and service-wide
// sequence), the receive count and a nonce drawn from IdGen for that receive. A handle is
// current while the message's stored nonce equals the handle's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace slipway::sqs {

struct ReceiptHandle {
  std::string queue;
  std::string message_id;
  uint64_t seq = 0;
  int receive_count = 0;
  uint64_t nonce = 0;  // never 0 in a valid handle
};

std::string encode_receipt(const ReceiptHandle& handle);
// nullopt for anything this service did not mint.
std::optional<ReceiptHandle> decode_receipt(std::string_view text);

}  // namespace slipway::sqs
