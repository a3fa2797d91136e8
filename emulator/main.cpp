// slipway: argument parsing lives in app/cli; this only hands over.
#include "app/cli.h"

int main(int argc, char** argv) { return slipway::app::run_cli(argc, argv); }
