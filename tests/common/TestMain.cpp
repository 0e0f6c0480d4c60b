// Runner for one label's tests: `poisonlab-unit-tests tst_name [QTest options]`;
// with no name it lists the tests it holds.
#include "TestSupport.h"

#ifdef POISONLAB_TEST_GUI_APP
// The workbench's own application class, so the UI tests deliver events as the workbench does
// (and ThreadSanitizer sees Qt's queued hand-offs, jobs/HandOff.h).
#include "jobs/HandOffApplication.h"
using App = poisonlab::ui::HandOffApplication;
#else
#include <QCoreApplication>
using App = QCoreApplication;
#endif

#include <QStandardPaths>

#include <iostream>
#include <map>
#include <memory>

namespace poisonlab::test {
std::map<std::string, TestFactory> &testRegistry();
}

int main(int argc, char **argv)
{
    auto &tests = poisonlab::test::testRegistry();
    if (argc < 2 || argv[1][0] == '-') {
        std::cerr << "usage: " << argv[0] << " TEST [QTest options]\ntests:\n";
        for (const auto &[name, factory] : tests)
            std::cerr << "  " << name << "\n";
        return 2;
    }
    auto it = tests.find(argv[1]);
    if (it == tests.end()) {
        std::cerr << argv[0] << ": no test named " << argv[1] << "\n";
        return 2;
    }
    App app(argc, argv);
    // QSettings (recent lists, window layout) and other writable locations go to test folders
    // (~/.qttest), never the user's own.
    QStandardPaths::setTestModeEnabled(true);
    std::unique_ptr<QObject> test(it->second());
    // QTest sees the program name followed by the options after the test's name.
    std::vector<char *> qtestArgs{argv[0]};
    for (int i = 2; i < argc; ++i)
        qtestArgs.push_back(argv[i]);
    return QTest::qExec(test.get(), static_cast<int>(qtestArgs.size()), qtestArgs.data());
}
