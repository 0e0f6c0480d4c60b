#pragma once

#include "sweep/SweepData.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QStackedWidget;
class QTabWidget;
class QTableView;
class QTimer;

namespace poisonlab::ui {

class JobRunner;
class SweepCellModel;
class SweepChartsView;
class SweepClassPairView;

/// A sweep folder (`poisonlab-cli sweep … --out DIR`): its cells as a table (state, swept values,
/// headline figures), Hit@K, MinRank and utility charted against a swept key (SweepChartsView),
/// and a class-pair sweep as the class-pair grid (SweepClassPairView). The folder — sweep.json and
/// every cell's run directory — is read on the page's JobRunner, never on the GUI thread; while
/// a cell is running the page reads it again every few seconds. A double-click on a cell asks to
/// open its run. A folder that is no sweep, or a malformed sweep.json, is said in the page,
/// naming the file.
class SweepPage : public QWidget {
    Q_OBJECT
public:
    explicit SweepPage(QWidget *parent = nullptr);
    ~SweepPage() override;

    /// Reads `dir` in the background; sweepShown() or sweepFailed() says when it is done.
    void openSweep(const QString &dir);
    /// Reads the open sweep again (cells finish while it is shown).
    void reload();
    QString sweepDir() const { return m_dir; }
    /// The sweep shown (null before the first one was read, or after a failure).
    SweepDataPtr sweep() const { return m_sweep; }
    bool isBusy() const;
    /// What the page says instead of the sweep (nothing open, the error naming the file).
    QString messageText() const;
    /// Brings the class-pair grid (true) or the charts (false) to the front.
    void showClassPairs(bool show);
    /// Re-reads every few seconds while a cell runs (0: never; tests).
    void setRefreshInterval(int ms) { m_refreshMs = ms; }

    SweepChartsView *charts() const { return m_charts; }
    SweepClassPairView *classPairs() const { return m_pairs; }
    SweepCellModel *cellModel() const { return m_model; }
    QTableView *cellTable() const { return m_table; }
    QTabWidget *views() const { return m_views; }

Q_SIGNALS:
    /// A cell's run was asked for (double-click in the table, click in the grid): show it.
    void openRunRequested(const QString &runDir);
    /// The page's Open Sweep… button (the window's File › Open Sweep…).
    void openSweepRequested();
    void sweepShown(const QString &dir);
    void sweepFailed(const QString &message);

protected:
    void changeEvent(QEvent *event) override;

private:
    void read(bool quiet);
    void showSweep(SweepDataPtr sweep);
    void showMessage(const QString &text, bool error);
    void fillTable();

    JobRunner *m_runner;
    QString m_dir;
    SweepDataPtr m_sweep;
    int m_refreshMs = 5000;
    QTimer *m_refresh;
    QLabel *m_title;
    QLabel *m_summary;
    QPushButton *m_open;
    QPushButton *m_reload;
    QStackedWidget *m_stack;
    QLabel *m_message;
    QTabWidget *m_views;
    SweepChartsView *m_charts;
    SweepClassPairView *m_pairs;
    SweepCellModel *m_model;
    QTableView *m_table;
};

} // namespace poisonlab::ui
