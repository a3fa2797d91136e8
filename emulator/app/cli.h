// The command line: `slipway <verb> [options]`. Verbs are a table (name, summary, help, run);
// each parses its own options. Errors go to stderr with the exit codes in app/daemon.h.
#pragma once

namespace slipway::app {

int run_cli(int argc, char** argv);

}  // namespace slipway::app
