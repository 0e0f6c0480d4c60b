#pragma once
// `poisonlab-cli` as a child process for the tests that kill it or watch its exit (header-only:
// POISONLAB_CLI_PATH is defined per test runner).
#include <QProcess>
#include <QString>
#include <QStringList>

namespace poisonlab::test {

/// Runs the CLI with `args` (4 minutes at most) and returns its exit code: -1 when it crashed or
/// was killed, -2 when it timed out. Its stderr goes to `err` when given.
inline int runCli(const QStringList &args, QString *err = nullptr)
{
    QProcess p;
    p.start(POISONLAB_CLI_PATH, args);
    if (!p.waitForFinished(240000)) {
        p.kill();
        p.waitForFinished();
        return -2;
    }
    if (err)
        *err = QString::fromUtf8(p.readAllStandardError());
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

} // namespace poisonlab::test
