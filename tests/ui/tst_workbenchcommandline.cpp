// `poisonlab [--dataset DIR --format F [--annotations FILE]...]`: parsed in ui, never exiting.
#include "TestSupport.h"

#include "window/WorkbenchCommandLine.h"

using poisonlab::ui::WorkbenchCommandLine;
using Action = WorkbenchCommandLine::Action;
Q_DECLARE_METATYPE(WorkbenchCommandLine::Action)

class TestWorkbenchCommandLine : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parse_data();
    void parse();
    void runDirectory();
    void sweepFolder();
    void experimentTrainAndDelay_data();
    void experimentTrainAndDelay();
    void panel_data();
    void panel();
};

void TestWorkbenchCommandLine::parse_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<Action>("action");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("root");
    QTest::addColumn<QString>("format");
    QTest::addColumn<QStringList>("annotations");
    QTest::addColumn<QString>("textContains");
    QTest::newRow("nothing") << QStringList{} << Action::Run << 0 << ""
                             << "" << QStringList{} << "";
    QTest::newRow("dataset") << QStringList{"--dataset", "/d", "--format", "pascal-sentences"} << Action::Run << 0
                             << "/d"
                             << "pascal-sentences" << QStringList{} << "";
    QTest::newRow("annotations repeat") << QStringList{"--dataset",     "/coco",  "--format",      "coco",
                                                       "--annotations", "a.json", "--annotations", "b.json"}
                                        << Action::Run << 0 << "/coco"
                                        << "coco" << QStringList{"a.json", "b.json"} << "";
    QTest::newRow("help") << QStringList{"--help"} << Action::ShowText << 0 << ""
                          << "" << QStringList{} << "--dataset";
    QTest::newRow("version") << QStringList{"--version"} << Action::ShowText << 0 << ""
                             << "" << QStringList{} << "PoisonLab";
    QTest::newRow("dataset without format") << QStringList{"--dataset", "/d"} << Action::Fail << 2 << ""
                                            << "" << QStringList{} << "--format";
    QTest::newRow("format without dataset") << QStringList{"--format", "coco"} << Action::Fail << 2 << ""
                                            << "" << QStringList{} << "--dataset";
    QTest::newRow("unknown option") << QStringList{"--frobnicate"} << Action::Fail << 2 << ""
                                    << "" << QStringList{} << "frobnicate";
    QTest::newRow("stray argument") << QStringList{"extra"} << Action::Fail << 2 << ""
                                    << "" << QStringList{} << "extra";
}

void TestWorkbenchCommandLine::parse()
{
    QFETCH(QStringList, args);
    QFETCH(Action, action);
    QFETCH(int, exitCode);
    QFETCH(QString, root);
    QFETCH(QString, format);
    QFETCH(QStringList, annotations);
    QFETCH(QString, textContains);
    const auto result = WorkbenchCommandLine::parse(QStringList{"poisonlab"} + args);
    QCOMPARE(result.action, action);
    QCOMPARE(result.exitCode, exitCode);
    if (action == Action::Run) {
        QCOMPARE(result.options.datasetRoot, root);
        QCOMPARE(result.options.format, format);
        QCOMPARE(result.options.annotations, annotations);
    }
    QVERIFY2(result.text.contains(textContains), qPrintable(result.text));
}

void TestWorkbenchCommandLine::runDirectory()
{
    const auto alone = WorkbenchCommandLine::parse({"poisonlab", "--run", "/runs/a"});
    QCOMPARE(alone.action, Action::Run);
    QCOMPARE(alone.options.runDir, QStringLiteral("/runs/a"));
    QVERIFY(alone.options.datasetRoot.isEmpty());
    const auto both =
        WorkbenchCommandLine::parse({"poisonlab", "--dataset", "/d", "--format", "csv", "--run", "/runs/b"});
    QCOMPARE(both.options.runDir, QStringLiteral("/runs/b"));
    QCOMPARE(both.options.datasetRoot, QStringLiteral("/d"));
    QVERIFY(WorkbenchCommandLine::parse({"poisonlab", "--help"}).text.contains(QStringLiteral("--run")));
}

void TestWorkbenchCommandLine::sweepFolder()
{
    const auto sweep = WorkbenchCommandLine::parse({"poisonlab", "--sweep", "/sweeps/rate", "--panel", "sweep"});
    QCOMPARE(sweep.action, Action::Run);
    QCOMPARE(sweep.options.sweepDir, QStringLiteral("/sweeps/rate"));
    QCOMPARE(sweep.options.panel, QStringLiteral("sweep"));
    QVERIFY(sweep.options.runDir.isEmpty());
    QVERIFY(WorkbenchCommandLine::parse({"poisonlab"}).options.sweepDir.isEmpty());
    QCOMPARE(WorkbenchCommandLine::parse({"poisonlab", "--sweep"}).action, Action::Fail); // the folder is missing
    QVERIFY(WorkbenchCommandLine::parse({"poisonlab", "--help"}).text.contains(QStringLiteral("--sweep")));
}

void TestWorkbenchCommandLine::experimentTrainAndDelay_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("experiment");
    QTest::addColumn<bool>("train");
    QTest::addColumn<int>("delayMs");
    QTest::addColumn<QStringList>("compare");
    QTest::newRow("none") << QStringList{} << true << "" << false << 0 << QStringList{};
    QTest::newRow("experiment") << QStringList{"--experiment", "/e.json"} << true << "/e.json" << false << 0
                                << QStringList{};
    QTest::newRow("train with a delay") << QStringList{"--train", "--screenshot-delay", "2.5"} << true << "" << true
                                        << 2500 << QStringList{};
    QTest::newRow("two runs compared") << QStringList{"--run", "/r/clean", "--run", "/r/attack"} << true << "" << false
                                       << 0 << QStringList{"/r/clean", "/r/attack"};
    QTest::newRow("delay not a number") << QStringList{"--screenshot-delay", "soon"} << false << "" << false << 0
                                        << QStringList{};
    QTest::newRow("negative delay") << QStringList{"--screenshot-delay", "-1"} << false << "" << false << 0
                                    << QStringList{};
}

void TestWorkbenchCommandLine::experimentTrainAndDelay()
{
    QFETCH(QStringList, args);
    QFETCH(bool, ok);
    QFETCH(QString, experiment);
    QFETCH(bool, train);
    QFETCH(int, delayMs);
    QFETCH(QStringList, compare);
    const auto result = WorkbenchCommandLine::parse(QStringList{"poisonlab"} + args);
    QCOMPARE(result.action, ok ? Action::Run : Action::Fail);
    if (!ok) {
        QVERIFY2(result.text.contains(QStringLiteral("--screenshot-delay")), qPrintable(result.text));
        return;
    }
    QCOMPARE(result.options.experimentPath, experiment);
    QCOMPARE(result.options.train, train);
    QCOMPARE(result.options.screenshotDelayMs, delayMs);
    QCOMPARE(result.options.compareRuns, compare);
    QCOMPARE(result.options.runDir, compare.value(0)); // the first run is the one the viewer shows
}

void TestWorkbenchCommandLine::panel_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("accepted");
    for (const QString &name : WorkbenchCommandLine::panelNames())
        QTest::newRow(qPrintable(name)) << name << true;
    QTest::newRow("unknown") << "designer" << false;
    QTest::newRow("case matters") << "Train" << false;
}

void TestWorkbenchCommandLine::panel()
{
    QFETCH(QString, name);
    QFETCH(bool, accepted);
    const auto result = WorkbenchCommandLine::parse({"poisonlab", "--panel", name});
    QCOMPARE(result.action, accepted ? Action::Run : Action::Fail);
    if (accepted)
        QCOMPARE(result.options.panel, name);
    else // the message lists the panels there are
        QVERIFY2(result.text.contains(name) && result.text.contains(QStringLiteral("attack")), qPrintable(result.text));
    // --help names every panel
    const QString help = WorkbenchCommandLine::parse({"poisonlab", "--help"}).text;
    for (const QString &panel : WorkbenchCommandLine::panelNames())
        QVERIFY2(help.contains(panel), qPrintable(panel));
}

POISONLAB_TEST_MAIN(TestWorkbenchCommandLine)
#include "tst_workbenchcommandline.moc"
