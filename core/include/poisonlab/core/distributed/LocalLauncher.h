#pragma once

#include <chrono>
#include <ostream>
#include <string>
#include <vector>

namespace poisonlab::distributed {

struct LocalLaunchOptions {
    int processes = 2;
    std::string program;           ///< the executable each process runs (e.g. /proc/self/exe)
    std::vector<std::string> args; ///< its arguments, without the program
    int masterPort = 0;            ///< 0: a free port on the loopback interface
    /// After the first process fails, the others get SIGTERM (a clean stop at their next step)
    /// and, if still alive this long after, SIGKILL.
    std::chrono::milliseconds killAfter = std::chrono::seconds(20);
};

/// Starts `processes` copies of a program on this machine as torchrun's standalone mode does:
/// each gets RANK, LOCAL_RANK, WORLD_SIZE, LOCAL_WORLD_SIZE, MASTER_ADDR=127.0.0.1 and
/// MASTER_PORT (and OMP_NUM_THREADS = cores / processes unless set), in a process group of its own so that Ctrl-C
/// reaches the launcher once, which passes SIGINT/SIGTERM on to every process. Waits for all. When one fails, the
/// others are stopped and its status is returned (0 when all succeeded; 128+N for a signal N), after a line on `err`
/// naming the rank. Throws poisonlab::Error when a process cannot be started.
int launchLocalProcesses(const LocalLaunchOptions &options, std::ostream &err);

/// A TCP port nobody listens on now, on 127.0.0.1.
int freeLoopbackPort();

} // namespace poisonlab::distributed
