// The Store-to-coroutine bridge; see store_await.hpp.
#include "http/store_await.hpp"

#include <atomic>
#include <boost/asio/async_result.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>
#include <optional>

namespace bookstamp {
namespace {
namespace asio = boost::asio;

// Owns the suspended coroutine's handler until the store calls back (exactly once, whichever of
// `done` or a throwing Submit comes first). Holding a tracked executor keeps the io_context from
// running out of work while the job is queued.
template <class Handler>
class Pending {
 public:
  explicit Pending(Handler handler)
      : handler_(std::move(handler)),
        work_(asio::prefer(asio::get_associated_executor(*handler_), asio::execution::outstanding_work.tracked)) {}

  void Complete(std::exception_ptr error) {
    if (fired_.exchange(true)) return;
    auto executor = std::move(work_);
    asio::post(executor, [handler = std::move(*handler_), error]() mutable { std::move(handler)(error); });
    handler_.reset();
  }

 private:
  std::optional<Handler> handler_;
  decltype(asio::prefer(asio::get_associated_executor(std::declval<Handler&>()),
                        asio::execution::outstanding_work.tracked)) work_;
  std::atomic<bool> fired_{false};
};

template <class Submit>
asio::awaitable<void> Await(Submit submit) {
  co_await asio::async_initiate<const asio::use_awaitable_t<>&, void(std::exception_ptr)>(
      [&submit](auto handler) {
        auto pending = std::make_shared<Pending<decltype(handler)>>(std::move(handler));
        try {
          submit([pending](std::exception_ptr error) { pending->Complete(error); });
        } catch (...) {
          pending->Complete(std::current_exception());
        }
      },
      asio::use_awaitable);
}
}  // namespace

asio::awaitable<void> AwaitStoreWrite(Store& store, Store::WriteJob job) {
  co_await Await([&](Store::Done done) { store.SubmitWrite(std::move(job), std::move(done)); });
}

asio::awaitable<void> AwaitStoreRead(Store& store, Store::ReadJob job) {
  co_await Await([&](Store::Done done) { store.SubmitRead(std::move(job), std::move(done)); });
}

}  // namespace bookstamp
