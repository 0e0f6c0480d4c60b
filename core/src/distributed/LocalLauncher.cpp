#include "poisonlab/core/distributed/LocalLauncher.h"

#include "poisonlab/core/Error.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace poisonlab::distributed {

namespace {

volatile std::sig_atomic_t g_forwardSignal = 0;

void rememberSignal(int sig)
{
    g_forwardSignal = sig;
}

/// Installs the forwarding handlers for its lifetime (and restores the previous ones).
class SignalForwarding {
public:
    SignalForwarding()
    {
        g_forwardSignal = 0;
        struct sigaction action {};
        action.sa_handler = rememberSignal;
        sigemptyset(&action.sa_mask);
        sigaction(SIGINT, &action, &m_int);
        sigaction(SIGTERM, &action, &m_term);
    }
    ~SignalForwarding()
    {
        sigaction(SIGINT, &m_int, nullptr);
        sigaction(SIGTERM, &m_term, nullptr);
    }
    SignalForwarding(const SignalForwarding &) = delete;
    SignalForwarding &operator=(const SignalForwarding &) = delete;

private:
    struct sigaction m_int {};
    struct sigaction m_term {};
};

pid_t startProcess(const LocalLaunchOptions &options, int rank, int port)
{
    const long cores = sysconf(_SC_NPROCESSORS_ONLN);
    const long threadsEach = std::max(1L, cores / std::max(1, options.processes));
    std::vector<std::string> env = {"RANK=" + std::to_string(rank),
                                    "LOCAL_RANK=" + std::to_string(rank),
                                    "WORLD_SIZE=" + std::to_string(options.processes),
                                    "LOCAL_WORLD_SIZE=" + std::to_string(options.processes),
                                    "MASTER_ADDR=127.0.0.1",
                                    "MASTER_PORT=" + std::to_string(port)};
    std::vector<char *> argv;
    argv.push_back(const_cast<char *>(options.program.c_str()));
    for (const auto &a : options.args)
        argv.push_back(const_cast<char *>(a.c_str()));
    argv.push_back(nullptr);
    const pid_t pid = fork();
    if (pid < 0)
        throw Error("could not start process " + std::to_string(rank) + ": " + std::strerror(errno));
    if (pid == 0) {
        setpgid(0, 0); // Ctrl-C reaches the launcher, which forwards it once
        for (const auto &e : env)
            putenv(const_cast<char *>(e.c_str()));
        // As torchrun: processes sharing the cores get a share of them each, unless the user chose.
        setenv("OMP_NUM_THREADS", std::to_string(threadsEach).c_str(), 0);
        execv(options.program.c_str(), argv.data());
        _exit(127);
    }
    return pid;
}

int exitStatus(int status)
{
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return 1;
}

void signalAll(const std::vector<pid_t> &pids, int sig)
{
    for (pid_t pid : pids)
        if (pid > 0)
            kill(pid, sig);
}

} // namespace

int freeLoopbackPort()
{
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        throw Error(std::string("could not open a socket to find a free port: ") + std::strerror(errno));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof(addr);
    const bool ok = bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof(addr)) == 0 &&
                    getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len) == 0;
    close(fd);
    if (!ok)
        throw Error(std::string("could not find a free port on 127.0.0.1: ") + std::strerror(errno));
    return ntohs(addr.sin_port);
}

int launchLocalProcesses(const LocalLaunchOptions &options, std::ostream &err)
{
    if (options.processes < 1)
        throw Error("--nproc must be at least 1, got " + std::to_string(options.processes));
    const int port = options.masterPort > 0 ? options.masterPort : freeLoopbackPort();
    SignalForwarding forwarding;
    std::vector<pid_t> pids;
    for (int rank = 0; rank < options.processes; ++rank) {
        try {
            pids.push_back(startProcess(options, rank, port));
        } catch (...) {
            signalAll(pids, SIGKILL);
            throw;
        }
    }
    int result = 0;
    int running = options.processes;
    int forwarded = 0;
    auto stopping = std::chrono::steady_clock::time_point::max();
    while (running > 0) {
        if (g_forwardSignal != 0 && g_forwardSignal != forwarded) {
            forwarded = g_forwardSignal;
            signalAll(pids, forwarded);
        }
        int status = 0;
        const pid_t done = waitpid(-1, &status, WNOHANG);
        if (done <= 0) {
            if (std::chrono::steady_clock::now() > stopping) {
                signalAll(pids, SIGKILL);
                stopping = std::chrono::steady_clock::time_point::max();
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            continue;
        }
        for (int rank = 0; rank < options.processes; ++rank) {
            if (pids[std::size_t(rank)] != done)
                continue;
            pids[std::size_t(rank)] = -1;
            --running;
            const int code = exitStatus(status);
            if (code != 0 && result == 0) {
                result = code;
                // After a forwarded Ctrl-C every process stops on its own (cancelled, checkpoint
                // written); a second signal would kill them mid-write.
                if (running > 0 && forwarded == 0) {
                    err << "poisonlab: process " << rank << " of " << options.processes << " failed (exit status "
                        << code << "); stopping the others\n";
                    signalAll(pids, SIGTERM);
                    stopping = std::chrono::steady_clock::now() + options.killAfter;
                }
            }
        }
    }
    return result;
}

} // namespace poisonlab::distributed
