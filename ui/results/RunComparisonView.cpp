#include "results/RunComparisonView.h"
#include "style/StatusColors.h"

#include "charts/LineChartWidget.h"
#include "charts/TableExporter.h"
#include "jobs/JobRunner.h"
#include "results/ChartAxes.h"
#include "results/RunComparisonModel.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>

namespace poisonlab::ui {

/// What the loading job returns: each run of the batch read, or why not.
struct RunLoadOutcome {
    quint64 id = 0;
    RunResultsPtr results;
    QString error;
};
using RunLoadBatch = std::shared_ptr<const std::vector<RunLoadOutcome>>;

} // namespace poisonlab::ui

Q_DECLARE_METATYPE(poisonlab::ui::RunLoadBatch)

namespace poisonlab::ui {

RunComparisonView::RunComparisonView(QWidget *parent)
    : QWidget(parent), m_model(new RunComparisonModel(this)),
      m_loader(new JobRunner(QStringLiteral("run-comparison"), this))
{
    setObjectName(QStringLiteral("runComparison"));
    QWidget *listBox = makeRunList();
    m_errors = new QLabel(this);
    m_errors->setWordWrap(true);
    m_errors->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_errors->setStyleSheet(StatusColors::errorStyle(palette()));
    makeTable();
    QWidget *chartBox = makeChart();

    // The list beside the table, the chart below both at full width.
    auto *top = new QSplitter(Qt::Horizontal, this);
    top->addWidget(listBox);
    top->addWidget(m_table);
    top->setStretchFactor(1, 1);
    top->setSizes({230, 900});
    auto *main = new QSplitter(Qt::Vertical, this);
    main->addWidget(top);
    main->addWidget(chartBox);
    main->setStretchFactor(0, 2);
    main->setStretchFactor(1, 3);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_errors);
    layout->addWidget(main, 1);

    connect(m_model, &RunComparisonModel::changed, this, &RunComparisonView::refresh);
    connect(m_loader, &JobRunner::finished, this, [this](quint64, const QVariant &result, double) {
        m_reading.clear();
        for (const RunLoadOutcome &o : *result.value<RunLoadBatch>())
            o.results ? m_model->setLoaded(o.id, o.results) : m_model->setFailed(o.id, o.error);
        startNextBatch();
    });
    connect(m_loader, &JobRunner::failed, this, [this](quint64, const QString &message, const QString &) {
        const auto ids = std::exchange(m_reading, {});
        for (quint64 id : ids)
            m_model->setFailed(id, message);
        startNextBatch();
    });
    refresh();
}

QWidget *RunComparisonView::makeRunList()
{
    m_list = new QListWidget(this);
    m_list->setObjectName(QStringLiteral("comparedRuns"));
    m_list->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_list->setWordWrap(true);
    m_list->setSpacing(2);
    auto *add = new QPushButton(tr("Add Run…"), this);
    add->setObjectName(QStringLiteral("addRun"));
    m_remove = new QPushButton(tr("Remove"), this);
    m_remove->setObjectName(QStringLiteral("removeRun"));
    connect(add, &QPushButton::clicked, this, &RunComparisonView::chooseRuns);
    connect(m_remove, &QPushButton::clicked, this, [this] {
        QList<int> rows;
        for (const QListWidgetItem *item : m_list->selectedItems())
            rows << m_list->row(item);
        std::sort(rows.rbegin(), rows.rend());
        for (int row : rows)
            m_model->remove(row);
    });
    connect(m_list, &QListWidget::itemSelectionChanged, this,
            [this] { m_remove->setEnabled(!m_list->selectedItems().isEmpty()); });
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(add);
    buttons->addWidget(m_remove);
    buttons->addStretch(1);
    auto *listBox = new QWidget(this);
    auto *listLayout = new QVBoxLayout(listBox);
    listLayout->setContentsMargins(0, 0, 0, 0);
    listLayout->addWidget(new QLabel(tr("Runs compared:"), listBox));
    listLayout->addWidget(m_list, 1);
    listLayout->addLayout(buttons);
    return listBox;
}

void RunComparisonView::makeTable()
{
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("comparisonTable"));
    m_sorted = new QSortFilterProxyModel(this);
    m_sorted->setSourceModel(m_model->table());
    m_sorted->setSortRole(Qt::UserRole); // the exact numbers, not their rounded text
    m_table->setModel(m_sorted);
    m_table->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder); // the order added, until a click
    m_table->setSortingEnabled(true);
    m_table->verticalHeader()->hide();
    m_table->setAlternatingRowColors(true);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setMaximumSectionSize(360); // a long error stays in its tooltip
    // Right click: Export table… as CSV or LaTeX.
    TableExporter::addExportAction(m_table, QStringLiteral("run-comparison"));
}

QWidget *RunComparisonView::makeChart()
{
    m_axis = new QComboBox(this);
    m_axis->setObjectName(QStringLiteral("chartAxis"));
    m_axis->addItem(tr("x: automatic"), int(ChartAxis::Auto));
    m_axis->addItem(tr("x: K, a line per run"), int(ChartAxis::K));
    m_axis->addItem(tr("x: poison rate, a line per K"), int(ChartAxis::Rate));
    m_goal = new QComboBox(this);
    m_goal->setObjectName(QStringLiteral("chartGoal"));
    m_goal->setSizeAdjustPolicy(QComboBox::AdjustToContents); // goal names are long ("sheep->aeroplane")
    connect(m_axis, &QComboBox::currentIndexChanged, this, [this] { refreshChart(); });
    connect(m_goal, &QComboBox::currentIndexChanged, this, [this] { refreshChart(); });
    m_chart = new LineChartWidget(tr("K"), tr("Hit@K (share of queries)"), this);
    m_chart->setYRange(std::pair{0.0, 1.0});
    auto *controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Goal:"), this));
    controls->addWidget(m_goal);
    controls->addWidget(m_axis);
    controls->addStretch(1);
    auto *chartBox = new QWidget(this);
    auto *chartLayout = new QVBoxLayout(chartBox);
    chartLayout->setContentsMargins(0, 0, 0, 0);
    chartLayout->addLayout(controls);
    chartLayout->addWidget(m_chart, 1);
    return chartBox;
}

RunComparisonView::~RunComparisonView() = default;

void RunComparisonView::addRun(const QString &dir)
{
    addRuns({dir});
}

void RunComparisonView::addRuns(const QStringList &dirs)
{
    for (const QString &dir : dirs)
        m_pending.emplace_back(m_model->add(dir), dir);
    startNextBatch();
}

void RunComparisonView::removeRun(int row)
{
    m_model->remove(row);
}

int RunComparisonView::runCount() const
{
    return m_model->count();
}

bool RunComparisonView::isLoading() const
{
    return m_loader->isBusy() || !m_pending.empty();
}

/// Reads every run added so far on the job thread; runs added meanwhile wait for the next batch
/// (a new start would supersede this one and drop its results).
void RunComparisonView::startNextBatch()
{
    if (m_loader->isBusy() || m_pending.empty())
        return;
    auto batch = std::exchange(m_pending, {});
    std::vector<std::pair<quint64, std::string>> work;
    for (const auto &[id, dir] : batch) {
        m_reading.push_back(id);
        work.emplace_back(id, dir.toStdString());
    }
    m_loader->start([work](ProgressReporter &progress) {
        auto out = std::make_shared<std::vector<RunLoadOutcome>>();
        for (const auto &[id, dir] : work) {
            progress.throwIfCancelled();
            RunLoadOutcome o;
            o.id = id;
            try {
                o.results = std::make_shared<report::RunResults>(report::RunResults::load(dir));
            } catch (const std::exception &e) {
                o.error = QString::fromStdString(e.what());
            }
            out->push_back(std::move(o));
        }
        return QVariant::fromValue(RunLoadBatch(std::move(out)));
    });
}

void RunComparisonView::chooseRuns()
{
    // A run is a folder; a file dialog selects several run.json files at once.
    const QStringList files = QFileDialog::getOpenFileNames(this, tr("Add Runs to the Comparison"), QString(),
                                                            tr("Run manifests (run.json)"));
    QStringList dirs;
    for (const QString &f : files)
        dirs << QFileInfo(f).absolutePath();
    if (!dirs.isEmpty())
        addRuns(dirs);
}

QStringList RunComparisonView::runListTexts() const
{
    QStringList out;
    for (int i = 0; i < m_list->count(); ++i)
        out << m_list->item(i)->text();
    return out;
}

QString RunComparisonView::errorsText() const
{
    return m_errors->isHidden() ? QString() : m_errors->text();
}

void RunComparisonView::refresh()
{
    m_list->clear();
    QStringList errors;
    for (int i = 0; i < m_model->count(); ++i) {
        const ComparedRun &run = m_model->run(i);
        auto *item = new QListWidgetItem(m_model->summary(i), m_list);
        item->setToolTip(run.error.isEmpty() ? run.dir : run.error);
        if (!run.error.isEmpty())
            errors << tr("%1: %2").arg(run.name(), run.error);
    }
    m_remove->setEnabled(false);
    m_errors->setText(errors.join(QLatin1Char('\n')));
    m_errors->setVisible(!errors.isEmpty());
    const QString goal = m_goal->currentText();
    {
        const QSignalBlocker block(m_goal);
        m_goal->clear();
        m_goal->addItems(m_model->goals());
        m_goal->setCurrentIndex(std::max(0, m_goal->findText(goal)));
    }
    m_goal->setEnabled(m_goal->count() > 0);
    refreshChart();
    Q_EMIT runsChanged();
}

RunComparisonView::ChartAxis RunComparisonView::effectiveChartAxis() const
{
    const auto chosen = ChartAxis(m_axis->currentData().toInt());
    if (chosen != ChartAxis::Auto)
        return chosen;
    return m_model->differOnlyInRate() ? ChartAxis::Rate : ChartAxis::K;
}

void RunComparisonView::setChartAxis(ChartAxis axis)
{
    m_axis->setCurrentIndex(m_axis->findData(int(axis)));
}

void RunComparisonView::setChartGoal(const QString &goal)
{
    m_goal->setCurrentIndex(m_goal->findText(goal));
}

void RunComparisonView::refreshChart()
{
    const QString goal = m_goal->currentText();
    if (goal.isEmpty()) {
        m_chart->setSeries({});
        m_chart->setTitle(tr("Hit@K"));
        m_chart->setPlaceholder(m_model->count() == 0 ? tr("No runs yet — Add Run… (several at once)")
                                                      : tr("No attack goal measured in these runs"));
        return;
    }
    const bool byRate = effectiveChartAxis() == ChartAxis::Rate;
    const auto series = byRate ? m_model->hitsByRate(goal) : m_model->hitsByK(goal);
    m_chart->setTitle(byRate ? tr("%1: Hit@K against the poison rate (the runs differ only in rate)").arg(goal)
                             : tr("%1: Hit@K for K = 1, 5, 10, a line per run").arg(goal));
    m_chart->setSeries(series);
    if (byRate)
        ChartAxes::continuousX(m_chart, tr("poison rate (share of class-A units; the clean run at 0)"));
    else
        ChartAxes::integerX(m_chart, tr("K"), 1, 10);
    m_chart->setPlaceholder(series.isEmpty() ? tr("No run read yet") : QString());
}

} // namespace poisonlab::ui
