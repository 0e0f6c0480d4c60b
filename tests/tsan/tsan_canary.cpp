// A race planted on purpose, for ./scripts/test.sh --tsan: ThreadSanitizer must report it, or the
// suppressions (scripts/tsan.supp) and the hand-off annotations (ui/jobs/HandOff.h) have made it
// blind to PoisonLab's own code. CTest passes it only when the report names this file.
//
// A job started through the real JobRunner, in the real application class, writes a value; the
// GUI thread waits for that with a relaxed atomic (which orders nothing) and writes it too. The
// job's start is a hand-off, so what the GUI thread did before start() is ordered; nothing orders
// the two writes, whichever runs first.
#include "jobs/HandOffApplication.h"
#include "jobs/JobRunner.h"

#include <atomic>
#include <thread>

namespace {
int unguarded = 0;
std::atomic<bool> written{false};
} // namespace

int main(int argc, char **argv)
{
    using poisonlab::ui::JobRunner;
    poisonlab::ui::HandOffApplication app(argc, argv);
    JobRunner runner(QStringLiteral("canary"));
    QObject::connect(&runner, &JobRunner::finished, &app, [] { QCoreApplication::quit(); });
    runner.start([](poisonlab::ProgressReporter &) {
        unguarded = 1; // the job thread's write
        written.store(true, std::memory_order_relaxed);
        return QVariant();
    });
    while (!written.load(std::memory_order_relaxed))
        std::this_thread::yield();
    unguarded = 2; // the GUI thread's write: a data race TSan must report
    const int status = QApplication::exec();
    return status == 0 && unguarded == 2 ? 0 : 1; // read, so neither write is optimised away
}
