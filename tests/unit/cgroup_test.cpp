// Memory cgroups, the pure parts: reading /proc/self/cgroup and /proc/self/mountinfo, the
// directory of our cgroup under a mount, the names of the cgroups the daemon makes (and telling
// a killed daemon's leftovers), and choosing the enforcement mode from what the probe found.
#include <doctest/doctest.h>

#include <string>

#include "platform/cgroup.h"

using namespace slipway::platform;

namespace {

// What this kind of machine shows (DESIGN §10): v1 controllers beside an empty v2 hierarchy.
constexpr const char* kHybridCgroup =
    "9:name=systemd:/\n8:pids:/\n6:freezer:/\n4:memory:/process_api/9bdd\n3:cpuset:/\n"
    "2:cpuacct:/\n1:cpu:/\n0::/\n";

constexpr const char* kHybridMountinfo =
    "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
    "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
    "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
    "36 31 0:33 / /sys/fs/cgroup/cpu,cpuacct rw,relatime shared:9 - cgroup cgroup rw,cpu,cpuacct\n"
    "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";

}  // namespace

TEST_CASE("parse_proc_cgroup finds the memory controller's cgroup and the v2 one") {
  OwnCgroups own = parse_proc_cgroup(kHybridCgroup);
  CHECK(own.has_v1_memory);
  CHECK(own.v1_memory == "/process_api/9bdd");
  CHECK(own.has_v2);
  CHECK(own.v2 == "/");

  SUBCASE("memory shares a hierarchy with other controllers") {
    own = parse_proc_cgroup("5:cpu,memory,pids:/a/b\n");
    CHECK(own.v1_memory == "/a/b");
    CHECK_FALSE(own.has_v2);
  }
  SUBCASE("pure v2: one line") {
    own = parse_proc_cgroup("0::/user.slice/user-0.slice/session-1.scope\n");
    CHECK_FALSE(own.has_v1_memory);
    CHECK(own.v2 == "/user.slice/user-0.slice/session-1.scope");
  }
  SUBCASE("a path holding a colon, and junk lines") {
    own = parse_proc_cgroup("garbage\n4:memory:/odd:name\n\n");
    CHECK(own.v1_memory == "/odd:name");
  }
  SUBCASE("memory named only as part of another word is not memory") {
    own = parse_proc_cgroup("4:name=memoryish:/x\n");
    CHECK_FALSE(own.has_v1_memory);
  }
}

TEST_CASE("parse_mountinfo finds the cgroup2 mount and the v1 memory mount") {
  CgroupMounts m = parse_mountinfo(kHybridMountinfo);
  CHECK(m.v2_mount == "/sys/fs/cgroup/unified");
  CHECK(m.v2_root == "/");
  CHECK(m.v1_memory_mount == "/sys/fs/cgroup/memory");
  CHECK(m.v1_memory_root == "/");

  SUBCASE("optional fields, a namespaced root and an escaped space") {
    m = parse_mountinfo(
        "40 31 0:38 /docker/abc /sys/fs/cgroup rw,nosuid shared:5 master:1 - cgroup2 cgroup2 rw,nsdelegate\n"
        "41 31 0:39 /x /mnt/mem\\040ory rw - cgroup cgroup rw,memory\n");
    CHECK(m.v2_mount == "/sys/fs/cgroup");
    CHECK(m.v2_root == "/docker/abc");
    CHECK(m.v1_memory_mount == "/mnt/mem ory");
    CHECK(m.v1_memory_root == "/x");
  }
  SUBCASE("no cgroup mounts at all") {
    m = parse_mountinfo("22 1 8:1 / / rw - ext4 /dev/vda rw\n");
    CHECK(m.v2_mount.empty());
    CHECK(m.v1_memory_mount.empty());
  }
}

TEST_CASE("cgroup_dir joins the mount and our path below the mount's root") {
  CHECK(cgroup_dir("/sys/fs/cgroup/memory", "/", "/process_api/9bdd") == "/sys/fs/cgroup/memory/process_api/9bdd");
  CHECK(cgroup_dir("/sys/fs/cgroup/unified", "/", "/") == "/sys/fs/cgroup/unified");
  CHECK(cgroup_dir("/sys/fs/cgroup", "/docker/abc", "/docker/abc/sub") == "/sys/fs/cgroup/sub");
  CHECK(cgroup_dir("/sys/fs/cgroup", "/docker/abc", "/docker/abc") == "/sys/fs/cgroup");
  SUBCASE("a path the mount does not show") {
    CHECK(cgroup_dir("/sys/fs/cgroup", "/docker/abc", "/docker/abcd").empty());
    CHECK(cgroup_dir("/sys/fs/cgroup", "/docker/abc", "/other").empty());
    CHECK(cgroup_dir("", "/", "/x").empty());
    CHECK(cgroup_dir("/m", "/", "relative").empty());
  }
}

TEST_CASE("our cgroups are named after the daemon's pid, so a dead daemon's are recognised") {
  CHECK(env_cgroup_name(4242, 7) == "slipway-4242-env-7");
  CHECK(probe_cgroup_name(4242) == "slipway-4242-probe");
  CHECK(cgroup_owner("slipway-4242-env-7") == 4242);
  CHECK(cgroup_owner("slipway-4242-probe") == 4242);
  CHECK(cgroup_owner(env_cgroup_name(1, 18446744073709551615ull)) == 1);
  for (const char* other : {"slipway", "slipway-", "slipway-4242", "slipway-4242-env-", "slipway-4242-env-x",
                            "slipway-x-env-1", "slipway-0-env-1", "slipway--env-1", "slipway-4242-envy-1",
                            "slipway-1234567890-env-1", "memory.max", "cgroup.procs", "slipway-4242-probe2"}) {
    CAPTURE(other);
    CHECK_FALSE(cgroup_owner(other).has_value());
  }
}

TEST_CASE("choose_enforcement prefers v2, then v1, then sampling, and says why") {
  CgroupProbe p;
  p.v2_dir = "/sys/fs/cgroup/unified";
  p.v2_problem = "the memory controller is not available in /sys/fs/cgroup/unified (cgroup.controllers: '')";
  p.v1_dir = "/sys/fs/cgroup/memory/process_api/9bdd";

  SUBCASE("this kind of machine: v1, naming why v2 is not used") {
    EnforcementChoice c = choose_enforcement(p);
    CHECK(c.mode == MemoryEnforcement::kCgroupV1);
    CHECK(c.dir == p.v1_dir);
    CHECK(c.reason.find("memory.limit_in_bytes") != std::string::npos);
    CHECK(c.reason.find(p.v2_problem) != std::string::npos);
    CHECK(std::string(enforcement_name(c.mode)) == "cgroup v1");
  }
  SUBCASE("v2 usable: v2 even when v1 is too") {
    p.v2_problem.clear();
    EnforcementChoice c = choose_enforcement(p);
    CHECK(c.mode == MemoryEnforcement::kCgroupV2);
    CHECK(c.dir == p.v2_dir);
    CHECK(c.reason.find("memory.max") != std::string::npos);
  }
  SUBCASE("neither: sampling, naming both problems") {
    p.v1_problem = "cannot create a cgroup in /x: Permission denied";
    EnforcementChoice c = choose_enforcement(p);
    CHECK(c.mode == MemoryEnforcement::kSampling);
    CHECK(c.dir.empty());
    CHECK(c.reason.find("v2: " + p.v2_problem) != std::string::npos);
    CHECK(c.reason.find("v1: " + p.v1_problem) != std::string::npos);
  }
  SUBCASE("forced sampling wins over a usable cgroup") {
    p.requested = "sampling";
    EnforcementChoice c = choose_enforcement(p);
    CHECK(c.mode == MemoryEnforcement::kSampling);
    CHECK(c.reason.find("SLIPWAY_MEMORY_ENFORCEMENT=sampling") != std::string::npos);
  }
  SUBCASE("forced v2 that is not usable falls back to sampling, not to v1") {
    p.requested = "cgroup-v2";
    EnforcementChoice c = choose_enforcement(p);
    CHECK(c.mode == MemoryEnforcement::kSampling);
    CHECK(c.reason.find("SLIPWAY_MEMORY_ENFORCEMENT=cgroup-v2") != std::string::npos);
    CHECK(c.reason.find("v1:") == std::string::npos);
  }
  SUBCASE("forced v1") {
    p.requested = "cgroup-v1";
    p.v2_problem.clear();
    CHECK(choose_enforcement(p).mode == MemoryEnforcement::kCgroupV1);
  }
}

TEST_CASE("SLIPWAY_MEMORY_ENFORCEMENT accepts only the modes it names") {
  for (const char* ok : {"", "auto", "cgroup-v2", "cgroup-v1", "sampling"}) CHECK(check_requested_enforcement(ok));
  auto bad = check_requested_enforcement("cgroups");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message.find("'cgroups'") != std::string::npos);
}
