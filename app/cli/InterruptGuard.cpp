#include "cli/InterruptGuard.h"

#include <atomic>
#include <csignal>

namespace poisonlab::cli {

namespace {

std::atomic<CallbackProgress *> g_progress{nullptr};
std::atomic<bool> g_interrupted{false};
struct sigaction g_oldInt, g_oldTerm;

extern "C" void onSignal(int sig)
{
    if (g_interrupted.exchange(true)) {
        std::signal(sig, SIG_DFL); // second signal: let the next one kill
        return;
    }
    if (CallbackProgress *p = g_progress.load())
        p->cancel(); // an atomic store: safe in a signal handler
}

} // namespace

InterruptGuard::InterruptGuard(CallbackProgress &progress)
{
    g_interrupted = false;
    g_progress = &progress;
    struct sigaction sa {};
    sa.sa_handler = onSignal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &g_oldInt);
    sigaction(SIGTERM, &sa, &g_oldTerm);
}

InterruptGuard::~InterruptGuard()
{
    sigaction(SIGINT, &g_oldInt, nullptr);
    sigaction(SIGTERM, &g_oldTerm, nullptr);
    g_progress = nullptr;
}

bool InterruptGuard::interrupted()
{
    return g_interrupted.load();
}

} // namespace poisonlab::cli
