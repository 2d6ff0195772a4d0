// wait_for.hpp: polling a condition with a deadline (the reader publishes state, not events).
#pragma once

#include <chrono>
#include <thread>

namespace ccoc::test {

/// Checks `condition` every 10 ms until it holds or `timeout` passes. Returns whether it held.
template <typename Condition>
bool waitFor(std::chrono::milliseconds timeout, Condition condition) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline) {
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

}  // namespace ccoc::test
