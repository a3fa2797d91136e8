// LambdaService: the public entry points (each ends with settle()), and Impl's shared helpers:
// lookups, the one place transitions are applied, deferred effects, logging, stats.
#include "lambda/service.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <utility>

#include "lambda/names.h"
#include "lambda/service_impl.h"

namespace slipway::lambda {

namespace {
[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "slipway: broken invariant: %s\n", what);
  std::abort();
}
}  // namespace

LambdaService::Impl::Impl(const core::Clock& clk, core::TimerQueue& tq, core::IdGen& id_gen,
                          Processes& procs, LogSink& sink, LambdaOptions opts)
    : clock(clk),
      timers(tq),
      ids(id_gen),
      processes(procs),
      logs(sink),
      options(std::move(opts)),
      store(options.async_persistence != nullptr ? options.async_persistence : &default_store),
      concurrency(options.account_concurrency, options.unreserved_concurrency_min) {}

LambdaService::Impl::~Impl() {
  for (auto& [id, env] : envs) cancel_timers(env);
  for (auto& [name, fs] : functions) {
    if (fs.scaling_timer != 0) timers.cancel(fs.scaling_timer);
  }
}

FunctionState* LambdaService::Impl::function_by_ref(std::string_view name_or_arn) {
  return const_cast<FunctionState*>(std::as_const(*this).function_by_ref(name_or_arn));
}

const FunctionState* LambdaService::Impl::function_by_ref(std::string_view name_or_arn) const {
  const std::optional<FunctionRef> ref = parse_function_ref(name_or_arn);
  if (!ref) return nullptr;
  if (!ref->account.empty() && ref->account != options.account_id) return nullptr;
  if (!ref->region.empty() && ref->region != options.region) return nullptr;
  if (!ref->qualifier.empty() && ref->qualifier != "$LATEST") return nullptr;
  auto it = functions.find(ref->name);
  return it == functions.end() ? nullptr : &it->second;
}

FunctionState& LambdaService::Impl::function_of(const Environment& env) {
  auto it = functions.find(env.config->name);
  if (it == functions.end()) fail("an environment of an unknown function");
  return it->second;
}

Environment* LambdaService::Impl::env_by_id(EnvId id) {
  auto it = envs.find(id);
  return it == envs.end() ? nullptr : &it->second;
}

Invocation* LambdaService::Impl::invocation_by_id(const std::string& request_id) {
  auto it = invocations.find(request_id);
  return it == invocations.end() ? nullptr : &it->second;
}

bool LambdaService::Impl::apply(Environment& env, EnvEvent event) {
  const std::optional<EnvState> to = next_state(env.state, event);
  if (!to) return false;
  const bool was_busy = counts_as_busy(env.state);
  const bool is_busy = counts_as_busy(*to);
  if (was_busy && !is_busy) concurrency.release(env.config->name);
  if (!was_busy && is_busy) concurrency.acquire(env.config->name);
  env.state = *to;
  return true;
}

void LambdaService::Impl::settle() {
  if (draining) return;  // a call made from inside an effect: the outer settle() carries on
  draining = true;
  // Pumping the async queues may cause effects, and an effect may call back in and free
  // capacity or queue more work: go round until both are quiet.
  while (true) {
    pump_all();
    if (effects.empty()) break;
    while (!effects.empty()) {
      std::function<void()> effect = std::move(effects.front());
      effects.pop_front();
      effect();
    }
  }
  draining = false;
}

std::string LambdaService::Impl::not_found_message(std::string_view name_or_arn) const {
  const std::optional<FunctionRef> ref = parse_function_ref(name_or_arn);
  return "Function not found: " + lambda::function_arn(options.region, options.account_id,
                                                       ref ? ref->name : std::string(name_or_arn));
}

core::Status LambdaService::Impl::set_reserved_concurrency(std::string_view name_or_arn,
                                                           std::optional<int> reserved) {
  FunctionState* fs = function_by_ref(name_or_arn);
  if (fs == nullptr) return core::make_error(core::ErrorCode::kNotFound, not_found_message(name_or_arn));
  const std::string name = fs->config->name;
  if (core::Status ok = concurrency.check_reservation(name, reserved); !ok) return ok;
  concurrency.set_reserved(name, reserved);
  // Environments keep the configuration they started with; the function's own is the current one.
  auto config = std::make_shared<FunctionConfig>(*fs->config);
  config->reserved_concurrency = reserved;
  fs->config = std::move(config);
  fs->trim = reserved.has_value();  // settle() reclaims idle environments beyond it
  return core::Ok{};
}

void LambdaService::Impl::log(const Environment& env, std::string_view line, Invocation* inv) {
  logs.append(env.config->name, env.log_stream, now(), line);
  if (inv != nullptr) inv->tail.append(line);
}

LambdaStats LambdaService::Impl::stats() const {
  LambdaStats s;
  s.account_concurrency = concurrency.account_limit();
  s.unreserved_concurrency_limit = concurrency.unreserved_limit();
  s.unreserved_concurrency_in_use = concurrency.unreserved_in_use();
  for (const auto& [name, fs] : functions) {
    FunctionStats f;
    f.name = name;
    f.reserved_concurrency = fs.config->reserved_concurrency;
    for (EnvId id : fs.envs) {
      switch (envs.at(id).state) {
        case EnvState::kSpawning: ++f.envs.spawning; break;
        case EnvState::kStarting: ++f.envs.starting; break;
        case EnvState::kIdle: ++f.envs.idle; break;
        case EnvState::kInvoking: ++f.envs.invoking; break;
        case EnvState::kFinishing: ++f.envs.finishing; break;
        case EnvState::kDead:
        case EnvState::kCount: ++f.envs.dead; break;
      }
    }
    f.concurrency_in_use = concurrency.in_use(name);
    f.async_queued = fs.async_queue.size();
    f.invocations = fs.invocations;
    f.throttles = fs.throttles;
    f.cold_starts = fs.cold_starts;
    s.functions.push_back(std::move(f));
  }
  return s;
}

// ---- LambdaService ----

LambdaService::LambdaService(const core::Clock& clock, core::TimerQueue& timers, core::IdGen& ids,
                             Processes& processes, LogSink& logs, LambdaOptions options)
    : impl_(std::make_unique<Impl>(clock, timers, ids, processes, logs, std::move(options))) {}

LambdaService::~LambdaService() = default;

void LambdaService::configure(std::vector<FunctionConfig> functions) {
  if (!impl_->envs.empty()) fail("LambdaService::configure with environments running");
  for (auto& [name, fs] : impl_->functions) {
    if (fs.scaling_timer != 0) impl_->timers.cancel(fs.scaling_timer);
  }
  impl_->functions.clear();
  std::map<std::string, std::optional<int>> reserved;
  for (auto& fn : functions) {
    reserved[fn.name] = fn.reserved_concurrency;
    FunctionState fs;
    fs.config = std::make_shared<const FunctionConfig>(std::move(fn));
    fs.scaling = ScalingBucket(impl_->options.scaling_environments_per_10s, 10 * core::kUsPerSecond);
    impl_->functions.emplace(fs.config->name, std::move(fs));
  }
  impl_->concurrency.configure(reserved);
}

const FunctionConfig* LambdaService::find_function(std::string_view name_or_arn) const {
  const FunctionState* fs = std::as_const(*impl_).function_by_ref(name_or_arn);
  return fs == nullptr ? nullptr : fs->config.get();
}

std::vector<const FunctionConfig*> LambdaService::functions() const {
  std::vector<const FunctionConfig*> out;
  for (const auto& [name, fs] : impl_->functions) out.push_back(fs.config.get());
  return out;
}

std::string LambdaService::function_arn(std::string_view name) const {
  return lambda::function_arn(impl_->options.region, impl_->options.account_id, name);
}

core::Status LambdaService::set_reserved_concurrency(std::string_view name_or_arn, std::optional<int> reserved) {
  core::Status status = impl_->set_reserved_concurrency(name_or_arn, reserved);
  impl_->settle();
  return status;
}

void LambdaService::invoke(InvokeRequest request, InvokeDone done) {
  impl_->invoke(std::move(request), std::move(done));
  impl_->settle();
}

RuntimeReply LambdaService::next(EnvId env, Deliver deliver) {
  RuntimeReply reply = impl_->next(env, std::move(deliver));
  impl_->settle();
  return reply;
}

RuntimeReply LambdaService::response(EnvId env, std::string_view request_id, std::string body) {
  RuntimeReply reply = impl_->response(env, request_id, std::move(body));
  impl_->settle();
  return reply;
}

RuntimeReply LambdaService::invocation_error(EnvId env, std::string_view request_id,
                                             std::string error_type_header, std::string body) {
  RuntimeReply reply =
      impl_->invocation_error(env, request_id, std::move(error_type_header), std::move(body));
  impl_->settle();
  return reply;
}

RuntimeReply LambdaService::init_error(EnvId env, std::string error_type_header, std::string body) {
  RuntimeReply reply = impl_->init_error(env, std::move(error_type_header), std::move(body));
  impl_->settle();
  return reply;
}

void LambdaService::on_spawned(EnvId env) {
  impl_->on_spawned(env);
  impl_->settle();
}

void LambdaService::on_spawn_failed(EnvId env, std::string why) {
  impl_->on_spawn_failed(env, std::move(why));
  impl_->settle();
}

void LambdaService::on_exit(EnvId env, int exit_status, int signal) {
  impl_->on_exit(env, exit_status, signal);
  impl_->settle();
}

void LambdaService::on_output(EnvId env, std::string_view line) {
  Environment* e = impl_->env_by_id(env);
  if (e == nullptr) return;
  Invocation* inv = impl_->invocation_by_id(e->invocation);
  // The invocation's own lines: output while it runs (or while its init retry runs).
  const bool ours = inv != nullptr && inv->started && inv->env == env;
  impl_->log(*e, line, ours ? inv : nullptr);
}

void LambdaService::shutdown() {
  impl_->shutdown();
  impl_->settle();
}

void LambdaService::restore_async(const AsyncQueueSnapshot& snapshot) {
  std::vector<AsyncEventRecord> events = snapshot.events;
  std::sort(events.begin(), events.end(),
            [](const auto& a, const auto& b) { return a.sequence < b.sequence; });
  for (const AsyncEventRecord& r : events) {
    impl_->next_async_sequence = std::max(impl_->next_async_sequence, r.sequence + 1);
    auto fs = impl_->functions.find(r.function);
    if (fs == impl_->functions.end()) {
      impl_->store->remove_event(r.request_id);
      continue;
    }
    Invocation inv;
    inv.request_id = r.request_id;
    inv.function = r.function;
    inv.request = InvokeRequest{r.function, r.payload, InvocationType::kEvent, "", r.trace_id, false};
    inv.async = true;
    inv.async_sequence = r.sequence;
    inv.tail = LogTail(impl_->options.log_tail_bytes_max);
    impl_->invocations.emplace(r.request_id, std::move(inv));
    fs->second.async_queue.push_back(r.request_id);
  }
  impl_->settle();
}

LambdaStats LambdaService::stats() const { return impl_->stats(); }

std::optional<EnvState> LambdaService::env_state(EnvId env) const {
  auto it = impl_->envs.find(env);
  if (it == impl_->envs.end()) return std::nullopt;
  return it->second.state;
}

std::string LambdaService::env_log_stream(EnvId env) const {
  auto it = impl_->envs.find(env);
  return it == impl_->envs.end() ? std::string() : it->second.log_stream;
}

}  // namespace slipway::lambda
