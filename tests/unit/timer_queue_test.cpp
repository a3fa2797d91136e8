#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/clock.h"
#include "core/timer_queue.h"

using slipway::core::ManualClock;
using slipway::core::TimerId;
using slipway::core::TimerQueue;
using slipway::core::TimeUs;

TEST_CASE("timer queue fires in due-time order, not arm order") {
  TimerQueue q;
  std::vector<int> order;
  q.arm(300, [&](TimeUs) { order.push_back(3); });
  q.arm(100, [&](TimeUs) { order.push_back(1); });
  q.arm(200, [&](TimeUs) { order.push_back(2); });
  CHECK(q.next_due_us() == 100);
  CHECK(q.fire_due(250) == 2);
  CHECK(order == std::vector<int>{1, 2});
  CHECK(q.next_due_us() == 300);
  CHECK(q.fire_due(300) == 1);
  CHECK(order == std::vector<int>{1, 2, 3});
  CHECK(q.empty());
  CHECK_FALSE(q.next_due_us().has_value());
}

TEST_CASE("timer queue breaks ties by arm sequence") {
  TimerQueue q;
  std::string order;
  for (char c : std::string("abcdef")) q.arm(500, [&order, c](TimeUs) { order.push_back(c); });
  q.arm(400, [&](TimeUs) { order.push_back('0'); });
  q.fire_due(500);
  CHECK(order == "0abcdef");
}

TEST_CASE("timer queue does not fire timers that are not yet due") {
  TimerQueue q;
  int fired = 0;
  q.arm(1000, [&](TimeUs) { ++fired; });
  CHECK(q.fire_due(999) == 0);
  CHECK(fired == 0);
  CHECK(q.fire_due(1000) == 1);
  CHECK(fired == 1);
}

TEST_CASE("timer queue passes the firing time to callbacks") {
  TimerQueue q;
  TimeUs seen = -1;
  q.arm(10, [&](TimeUs now) { seen = now; });
  q.fire_due(42);
  CHECK(seen == 42);
}

TEST_CASE("timer queue cancel") {
  TimerQueue q;
  int fired = 0;
  TimerId a = q.arm(10, [&](TimeUs) { fired += 1; });
  TimerId b = q.arm(20, [&](TimeUs) { fired += 10; });
  CHECK(q.cancel(a));
  CHECK_FALSE(q.cancel(a));  // already cancelled
  CHECK(q.size() == 1);
  q.fire_due(100);
  CHECK(fired == 10);
  CHECK_FALSE(q.cancel(b));  // already fired
  CHECK_FALSE(q.cancel(12345));
}

TEST_CASE("timer queue re-entrancy") {
  TimerQueue q;
  std::vector<std::string> log;

  SUBCASE("a timer armed while firing waits for the next pass even when already due") {
    q.arm(10, [&](TimeUs now) {
      log.push_back("first");
      q.arm(now, [&](TimeUs) { log.push_back("re-armed"); });
    });
    CHECK(q.fire_due(10) == 1);
    CHECK(log == std::vector<std::string>{"first"});
    CHECK(q.next_due_us() == 10);
    CHECK(q.fire_due(10) == 1);
    CHECK(log == std::vector<std::string>{"first", "re-armed"});
  }

  SUBCASE("a new timer with an earlier deadline than pending ones is skipped, not lost") {
    q.arm(50, [&](TimeUs) {
      log.push_back("a");
      q.arm(5, [&](TimeUs) { log.push_back("early"); });
    });
    q.arm(60, [&](TimeUs) { log.push_back("b"); });
    CHECK(q.fire_due(100) == 2);
    CHECK(log == std::vector<std::string>{"a", "b"});
    CHECK(q.fire_due(100) == 1);
    CHECK(log == std::vector<std::string>{"a", "b", "early"});
  }

  SUBCASE("a callback may cancel a timer due in the same pass") {
    TimerId victim = 0;
    q.arm(10, [&](TimeUs) {
      log.push_back("canceller");
      CHECK(q.cancel(victim));
    });
    victim = q.arm(10, [&](TimeUs) { log.push_back("victim"); });
    q.arm(10, [&](TimeUs) { log.push_back("survivor"); });
    CHECK(q.fire_due(10) == 2);
    CHECK(log == std::vector<std::string>{"canceller", "survivor"});
    CHECK(q.empty());
  }

  SUBCASE("a callback may cancel itself's successor and the loop resumes correctly") {
    TimerId next = 0;
    q.arm(1, [&](TimeUs) { log.push_back("1"); });
    q.arm(2, [&](TimeUs) {
      log.push_back("2");
      q.cancel(next);
    });
    next = q.arm(3, [&](TimeUs) { log.push_back("3"); });
    q.arm(4, [&](TimeUs) { log.push_back("4"); });
    q.fire_due(10);
    CHECK(log == std::vector<std::string>{"1", "2", "4"});
  }
}

TEST_CASE("timer queue driven by a manual clock") {
  ManualClock clock(0);
  TimerQueue q;
  std::vector<TimeUs> fired_at;
  for (TimeUs due : {3000, 1000, 2000}) q.arm(due, [&](TimeUs now) { fired_at.push_back(now); });
  while (auto due = q.next_due_us()) {
    clock.set_us(*due);
    q.fire_due(clock.now_us());
  }
  CHECK(fired_at == std::vector<TimeUs>{1000, 2000, 3000});
  CHECK(clock.now_us() == 3000);
}
