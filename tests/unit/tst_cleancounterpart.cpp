// findCleanCounterpart: the clean reference of a poisoned run is found beside it (<run>-clean,
// as the workbench's Train step writes it) or among its siblings (finished, no attack, the same
// datasets by checksum; the newest wins); a clean run, a run over other data, an unfinished
// run or a folder that is not a run is never taken.
#include "TestSupport.h"
#include "poisonlab/core/experiment/CleanCounterpart.h"
#include "poisonlab/core/experiment/RunDirectory.h"

#include <nlohmann/json.hpp>

using namespace poisonlab;
using namespace poisonlab::experiment;
using nlohmann::json;
namespace fs = std::filesystem;

class TestCleanCounterpart : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void finds_data();
    void finds();
};

namespace {

// A run directory: `attack` or clean, over a dataset with `checksum`, in `status`, updated at `updated`.
void makeRun(const fs::path &dir, bool attack, const std::string &checksum, const std::string &status = "finished",
             const std::string &updated = "2026-12-01T10:00:00Z")
{
    RunManifest m;
    m.name = dir.filename().string();
    m.status = status;
    m.updated = updated;
    m.datasets.push_back({"pascal", "pascal-sentences", "/data/pascal", 10, 50, checksum});
    const RunDirectory run = RunDirectory::create(dir, m);
    run.writeConfig({{"name", m.name},
                     {"attack", attack ? json{{"plugin", "attack-single-target-label"}, {"options", json::object()}}
                                       : json(nullptr)}});
}

} // namespace

void TestCleanCounterpart::finds_data()
{
    QTest::addColumn<QString>("layout"); // what is beside the poisoned run "attack"
    QTest::addColumn<QString>("expected");
    QTest::newRow("beside it, -clean") << "attack-clean"
                                       << "attack-clean";
    QTest::newRow("a clean sibling") << "reference"
                                     << "reference";
    QTest::newRow("-clean wins over a newer sibling") << "attack-clean,newer"
                                                      << "attack-clean";
    QTest::newRow("the newest of two siblings") << "older,newer"
                                                << "newer";
    QTest::newRow("other data") << "otherdata"
                                << "";
    QTest::newRow("not finished") << "cancelled"
                                  << "";
    QTest::newRow("another attacked run") << "attacked"
                                          << "";
    QTest::newRow("a folder that is not a run") << "junk"
                                                << "";
    QTest::newRow("nothing") << ""
                             << "";
}

void TestCleanCounterpart::finds()
{
    QFETCH(QString, layout);
    QFETCH(QString, expected);
    test::TempDir dir;
    makeRun(dir / "attack", true, "fnv1a64:aaaa");
    for (const QString &name : layout.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const fs::path path = dir / name.toStdString();
        if (name == QLatin1String("otherdata"))
            makeRun(path, false, "fnv1a64:bbbb");
        else if (name == QLatin1String("cancelled"))
            makeRun(path, false, "fnv1a64:aaaa", "cancelled");
        else if (name == QLatin1String("attacked"))
            makeRun(path, true, "fnv1a64:aaaa");
        else if (name == QLatin1String("junk"))
            fs::create_directories(path / "results");
        else if (name == QLatin1String("newer"))
            makeRun(path, false, "fnv1a64:aaaa", "finished", "2026-12-02T10:00:00Z");
        else
            makeRun(path, false, "fnv1a64:aaaa");
    }
    const auto found = findCleanCounterpart(dir / "attack");
    if (expected.isEmpty()) {
        QVERIFY2(!found, found ? found->c_str() : "");
    } else {
        QVERIFY(found);
        QCOMPARE(found->filename().string(), expected.toStdString());
    }
    // A clean run has no clean counterpart of its own; a folder that is not a run has none either.
    if (!expected.isEmpty())
        QVERIFY(!findCleanCounterpart(*found));
    QVERIFY(!findCleanCounterpart(dir / "no-such-run"));
}

POISONLAB_TEST_MAIN(TestCleanCounterpart)
#include "tst_cleancounterpart.moc"
