// The blocking Store::Write / Store::Read: submit, then wait on a future for the Done callback.
#include "app/ports/store.hpp"

#include <future>
#include <memory>

namespace bookstamp {
namespace {

// The promise is shared with the callback so it outlives a Done that runs on a store thread
// while this thread is already returning.
Store::Done Fulfil(const std::shared_ptr<std::promise<void>>& promise) {
  return [promise](std::exception_ptr error) {
    if (error) {
      promise->set_exception(error);
    } else {
      promise->set_value();
    }
  };
}

}  // namespace

void Store::Write(WriteJob job) {
  auto promise = std::make_shared<std::promise<void>>();
  std::future<void> done = promise->get_future();
  SubmitWrite(std::move(job), Fulfil(promise));
  done.get();
}

void Store::Read(ReadJob job) {
  auto promise = std::make_shared<std::promise<void>>();
  std::future<void> done = promise->get_future();
  SubmitRead(std::move(job), Fulfil(promise));
  done.get();
}

}  // namespace bookstamp
