// RecentItems and File › Recent Datasets / Recent Runs: most recent first, no duplicates, at most
// N, kept across sessions in the settings; the menu reopens a dataset; an entry whose folder is
// gone is removed with a message instead of failing later.
#include "TestSupport.h"
#include "UiTestData.h"

#include "window/MainWindow.h"
#include "window/RecentItems.h"

#include <QAction>
#include <QMenu>
#include <QMessageBox>

using namespace poisonlab;
using poisonlab::ui::MainWindow;
using poisonlab::ui::RecentItems;

class TestRecentItems : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void keepsTheMostRecentFirst_data();
    void keepsTheMostRecentFirst();
    void survivesARestart();
    void menuReopensADataset();
    void goneFolderIsRemoved();

private:
    QString m_file;
    test::TempDir m_dir;
    int m_files = 0;
};

namespace {

QVariantMap entry(const QString &name)
{
    return {{QStringLiteral("dir"), name}};
}

QStringList names(const RecentItems &items)
{
    QStringList out;
    for (const QVariantMap &e : items.entries())
        out << e.value(QStringLiteral("dir")).toString();
    return out;
}

QAction *actionNamed(QMenu *menu, const QString &text)
{
    for (QAction *a : menu->actions())
        if (a->text() == text)
            return a;
    return nullptr;
}

} // namespace

void TestRecentItems::init()
{
    m_file = QString::fromStdString((m_dir / ("settings" + std::to_string(++m_files) + ".ini")).string());
    QSettings().remove(QStringLiteral("recent")); // the window's own lists start empty
}

void TestRecentItems::keepsTheMostRecentFirst_data()
{
    QTest::addColumn<QString>("added"); // in order
    QTest::addColumn<QString>("listed");
    QTest::newRow("newest first") << "a b c"
                                  << "c b a";
    QTest::newRow("again moves to the front, once") << "a b a"
                                                    << "a b";
    QTest::newRow("at most three") << "a b c d e"
                                   << "e d c";
}

void TestRecentItems::keepsTheMostRecentFirst()
{
    QFETCH(QString, added);
    QFETCH(QString, listed);
    RecentItems items(QStringLiteral("recent/test"), 3, nullptr, m_file);
    QSignalSpy changed(&items, &RecentItems::changed);
    for (const QString &name : added.split(' '))
        items.add(entry(name));
    QCOMPARE(names(items).join(' '), listed);
    QCOMPARE(changed.count(), added.split(' ').size());
}

void TestRecentItems::survivesARestart()
{
    {
        RecentItems items(QStringLiteral("recent/test"), 3, nullptr, m_file);
        items.add(entry("a"));
        items.add(entry("b"));
    }
    RecentItems again(QStringLiteral("recent/test"), 3, nullptr, m_file);
    QCOMPARE(names(again).join(' '), QStringLiteral("b a"));
    again.clear();
    QCOMPARE(RecentItems(QStringLiteral("recent/test"), 3, nullptr, m_file).entries().size(), 0);
}

void TestRecentItems::menuReopensADataset()
{
    test::TempDir data;
    test::writePascalLayout(data.path(), {"dog", "cat"}, 1, 5);
    const QString root = QString::fromStdString(data.path().string());
    {
        MainWindow window;
        QSignalSpy ended(&window, &MainWindow::openingEnded);
        data::DatasetSource source;
        source.format = "pascal-sentences";
        source.root = data.path();
        window.openDataset(source);
        QTRY_COMPARE(ended.count(), 1);
        QCOMPARE(window.recentDatasets()->entries().size(), 1);
    }
    MainWindow window; // a new session: the menu remembers
    QSignalSpy ended(&window, &MainWindow::openingEnded);
    QAction *reopen =
        actionNamed(window.recentDatasetsMenu(), QFileInfo(root).fileName() + QStringLiteral(" (pascal-sentences)"));
    QVERIFY(reopen);
    QCOMPARE(reopen->statusTip(), root);
    reopen->trigger();
    QTRY_COMPARE(ended.count(), 1);
    QVERIFY(window.dataset());
    QCOMPARE(window.dataset()->captions.size(), size_t(10));
}

void TestRecentItems::goneFolderIsRemoved()
{
    MainWindow window;
    const QString gone = QString::fromStdString((m_dir / "no-such-run").string());
    window.recentRuns()->add({{QStringLiteral("dir"), gone}});
    QAction *open = actionNamed(window.recentRunsMenu(), QStringLiteral("no-such-run"));
    QVERIFY(open);
    open->trigger();
    QCOMPARE(window.recentRuns()->entries().size(), 0);
    QVERIFY(!actionNamed(window.recentRunsMenu(), QStringLiteral("no-such-run")));
}

POISONLAB_TEST_MAIN(TestRecentItems)
#include "tst_recentitems.moc"
