// Logging goes to the console and to a rotating file in the user's data folder.
#include "TestSupport.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Logging.h"
#include "poisonlab/core/Paths.h"

#include <spdlog/spdlog.h>

#include <cstdlib>

using namespace poisonlab;
namespace fs = std::filesystem;

class TestLogging : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void writesRotatingFileInDataDir();
};

void TestLogging::writesRotatingFileInDataDir()
{
    test::TempDir dir;
    const char *old = std::getenv("POISONLAB_DATA_DIR");
    const std::string saved = old ? old : "";
    ::setenv("POISONLAB_DATA_DIR", dir.path().c_str(), 1);
    const fs::path file = initLogging("tst-logging", "off");
    QCOMPARE(file, dir.path() / "logs" / "tst-logging.log");
    spdlog::info("hello from the logging test");
    spdlog::default_logger()->flush();
    QVERIFY(readFile(file).find("hello from the logging test") != std::string::npos);
    if (old)
        ::setenv("POISONLAB_DATA_DIR", saved.c_str(), 1);
    else
        ::unsetenv("POISONLAB_DATA_DIR");
}

POISONLAB_TEST_MAIN(TestLogging)
#include "tst_logging.moc"
