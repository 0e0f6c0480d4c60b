// `poisonlab-cli --help` on the real executable: every command registers itself from a static
// object in poisonlab_cli, a static library the executable links whole. Were it linked the usual
// way, the linker would drop those objects (nothing references them) and commands would vanish
// from the help without any build error; this test catches that.
#include "TestSupport.h"

using namespace poisonlab;

class TestCliHelp : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void listsEveryCommand_data();
    void listsEveryCommand();
    void commandRuns();
};

void TestCliHelp::listsEveryCommand_data()
{
    QTest::addColumn<QString>("command");
    for (const char *name : {"analyze", "bench", "dataset", "defend", "defense-summary", "demo", "demo-data", "embed",
                             "poison", "report", "resume", "run", "tokenize"})
        QTest::newRow(name) << QString(name);
}

void TestCliHelp::listsEveryCommand()
{
    QFETCH(QString, command);
    std::string output;
    QCOMPARE(test::runCommand(test::binary("poisonlab-cli").string() + " --help", &output), 0);
    const std::string line = "\n  " + command.toStdString() + " ";
    QVERIFY2(output.find(line) != std::string::npos, output.c_str());
}

void TestCliHelp::commandRuns()
{
    // Registered and dispatched: a command's own --help exits 0 (an unknown command exits 2).
    std::string output;
    QCOMPARE(test::runCommand(test::binary("poisonlab-cli").string() + " tokenize --help", &output), 0);
    QVERIFY2(output.find("tokenize") != std::string::npos, output.c_str());
}

POISONLAB_TEST_MAIN(TestCliHelp)
#include "tst_clihelp.moc"
