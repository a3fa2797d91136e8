#include "runtime-api/routes.h"

#include <algorithm>
#include <cstdlib>

namespace slipway::runtime_api {
namespace {

constexpr std::size_t kNpos = std::string_view::npos;

// Pops the text up to the next '/' (or the rest) off the front of `s`, and the '/' with it.
constexpr std::string_view pop_segment(std::string_view& s) {
  const std::size_t slash = s.find('/');
  const std::string_view segment = s.substr(0, slash);
  s = slash == kNpos ? std::string_view{} : s.substr(slash + 1);
  return segment;
}

constexpr std::size_t count_slashes(std::string_view s) {
  return static_cast<std::size_t>(std::count(s.begin(), s.end(), '/'));
}

struct PatternMatch {
  bool matched = false;
  std::string_view request_id;  // a view into the path
};

// Matches `path` against one pattern, segment by segment. Equal slash counts make the segment
// counts equal, so a trailing slash or an extra segment never matches.
constexpr PatternMatch match_pattern(std::string_view pattern, std::string_view path) {
  if (path.empty() || path.front() != '/' || count_slashes(path) != count_slashes(pattern)) {
    return {};
  }
  PatternMatch result;
  pattern.remove_prefix(1);
  path.remove_prefix(1);
  for (std::size_t i = 0, n = count_slashes(pattern) + 1; i < n; ++i) {
    const std::string_view want = pop_segment(pattern);
    const std::string_view got = pop_segment(path);
    if (want == kRequestIdSegment) {
      if (got.empty()) return {};
      result.request_id = got;
    } else if (want != got) {
      return {};
    }
  }
  result.matched = true;
  return result;
}

// The table invariants promised in routes.h.
constexpr bool pattern_is_well_formed(std::string_view pattern) {
  if (pattern.empty() || pattern.front() != '/') return false;
  pattern.remove_prefix(1);
  int ids = 0;
  for (std::size_t i = 0, n = count_slashes(pattern) + 1; i < n; ++i) {
    const std::string_view segment = pop_segment(pattern);
    if (segment.empty()) return false;
    if (segment == kRequestIdSegment) {
      ++ids;
    } else if (segment.find_first_of("{}?#") != kNpos) {
      return false;
    }
  }
  return ids <= 1;
}

constexpr bool table_is_well_formed() {
  for (std::size_t i = 0; i < kRoutes.size(); ++i) {
    const Route& r = kRoutes[i];
    if (r.id != static_cast<RouteId>(i)) return false;
    if (r.method != "GET" && r.method != "POST") return false;
    if (!pattern_is_well_formed(r.pattern) || r.name.empty()) return false;
    for (std::size_t j = 0; j < i; ++j) {
      if (kRoutes[j].name == r.name) return false;
      if (kRoutes[j].method == r.method && kRoutes[j].pattern == r.pattern) return false;
    }
  }
  return true;
}

static_assert(table_is_well_formed(), "kRoutes breaks an invariant listed in routes.h");
static_assert(match_pattern("/a/{AwsRequestId}/b", "/a/x/b").request_id == "x");
static_assert(!match_pattern("/a/{AwsRequestId}/b", "/a//b").matched);
static_assert(!match_pattern("/a/b", "/a/b/").matched);

}  // namespace

const Route& route(RouteId id) {
  const auto index = static_cast<std::size_t>(id);
  if (index >= kRoutes.size()) std::abort();  // a broken invariant fails loudly
  return kRoutes[index];
}

RouteLookup lookup_route(std::string_view method, std::string_view path) {
  RouteLookup lookup;
  if (path.find_first_of("?#") != kNpos) return lookup;  // the caller must strip the query
  for (const Route& r : kRoutes) {
    const PatternMatch m = match_pattern(r.pattern, path);
    if (!m.matched) continue;
    if (r.method == method) {
      lookup.outcome = MatchOutcome::kMatched;
      lookup.match = RouteMatch{r.id, std::string(m.request_id)};
      lookup.allow.clear();
      return lookup;
    }
    lookup.outcome = MatchOutcome::kMethodNotAllowed;
    if (lookup.allow.find(r.method) == std::string::npos) {
      if (!lookup.allow.empty()) lookup.allow += ", ";
      lookup.allow += r.method;
    }
  }
  return lookup;
}

std::optional<RouteMatch> match_route(std::string_view method, std::string_view path) {
  return lookup_route(method, path).match;
}

}  // namespace slipway::runtime_api
