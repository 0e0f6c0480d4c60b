#include "results/RunViewer.h"
#include "style/StatusColors.h"

#include "charts/LineChartWidget.h"
#include "charts/TableExporter.h"
#include "jobs/JobRunner.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/report/RunResults.h"
#include "results/ChartAxes.h"
#include "results/DefenseResultsView.h"
#include "results/RunEpochTables.h"
#include "results/RunTables.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace poisonlab::ui {

using nlohmann::json;

namespace {

/// A short table as high as its rows (no empty frame below them).
void fitHeightToRows(QTableView *view)
{
    view->resizeRowsToContents();
    view->setFixedHeight(view->horizontalHeader()->sizeHint().height() + view->verticalHeader()->length() +
                         2 * view->frameWidth() + view->horizontalScrollBar()->sizeHint().height());
}

QTableView *makeTable(QWidget *parent, const QString &name)
{
    auto *view = new QTableView(parent);
    view->setObjectName(name);
    view->verticalHeader()->hide();
    view->setAlternatingRowColors(true);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    TableExporter::addExportAction(view, QString(name).remove(QStringLiteral("Table"))); // right click: CSV, LaTeX
    return view;
}

QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

} // namespace

RunViewer::RunViewer(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("runViewer"));
    m_header = new QLabel(this);
    m_header->setWordWrap(true);
    m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *openButton = new QPushButton(tr("Open Run…"), this);
    connect(openButton, &QPushButton::clicked, this, &RunViewer::openRunRequested);
    auto *top = new QHBoxLayout;
    top->addWidget(m_header, 1);
    top->addWidget(openButton, 0, Qt::AlignTop);
    m_problems = new QLabel(this);
    m_problems->setWordWrap(true);
    m_problems->setStyleSheet(StatusColors::warningStyle(palette()));
    m_problems->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_poison = new QLabel(this);
    m_poison->setWordWrap(true);

    m_offer = new QWidget(this);
    auto *offerRow = new QHBoxLayout(m_offer);
    offerRow->setContentsMargins(0, 0, 0, 0);
    m_offerText = new QLabel(m_offer);
    m_offerText->setWordWrap(true);
    auto *offerButton = new QPushButton(tr("Open It and Mark Poisoned Pairs"), m_offer);
    offerButton->setObjectName(QStringLiteral("openRunDataset"));
    offerRow->addWidget(m_offerText, 1);
    offerRow->addWidget(offerButton);
    connect(offerButton, &QPushButton::clicked, this, &RunViewer::openDatasetRequested);

    m_loader = new JobRunner(QStringLiteral("run-viewer"), this);
    connect(m_loader, &JobRunner::finished, this,
            [this](quint64, const QVariant &result, double) { showRun(result.value<RunResultsPtr>()); });
    connect(m_loader, &JobRunner::failed, this,
            [this](quint64, const QString &message, const QString &file) { showError(file, message); });
    m_tabs = new QTabWidget(this);
    m_utilityView = makeTable(this, QStringLiteral("utilityTable"));
    m_attackView = makeTable(this, QStringLiteral("attackTable"));
    m_loss = new LineChartWidget(tr("step"), tr("loss"), this);
    m_loss->setTitle(tr("Training loss"));
    m_defense = new DefenseResultsView(this);
    m_tabs->addTab(makeSummaryTab(), tr("Summary"));
    m_tabs->addTab(makeEpochTab(), tr("Per epoch"));
    m_tabs->addTab(makePoisonTab(), tr("Poisoning"));
    m_tabs->addTab(m_loss, tr("Loss"));
    // Scrolled: its two charts and tables should not force the dock's height.
    auto *defenseScroll = new QScrollArea(this);
    defenseScroll->setWidgetResizable(true);
    defenseScroll->setFrameShape(QFrame::NoFrame);
    defenseScroll->setWidget(m_defense);
    m_tabs->addTab(defenseScroll, tr("Defenses"));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    layout->addWidget(m_poison);
    layout->addWidget(m_problems);
    layout->addWidget(m_offer);
    layout->addWidget(m_tabs, 1);
    clear();
}

RunViewer::~RunViewer() = default;

// What a reader looks at first: did the attack work (Hit@K, MinRank against the random-caption
// baseline), and what did it cost (R@K), one above the other.
QWidget *RunViewer::makeSummaryTab()
{
    auto *tab = new QWidget(this);
    auto *layout = new QVBoxLayout(tab);
    auto *attackTitle = new QLabel(tr("<b>Attack</b> — Hit@K: share of the goal's class-A captions whose "
                                      "best-ranked target image is in the top K (higher: the attack works); "
                                      "MinRank: that rank. The baseline is as many random captions."),
                                   tab);
    attackTitle->setWordWrap(true);
    auto *utilityTitle = new QLabel(tr("<b>Utility</b> — R@K of ordinary retrieval on the evaluation gallery "
                                       "(a good attack barely moves it)."),
                                    tab);
    utilityTitle->setWordWrap(true);
    layout->addWidget(attackTitle);
    layout->addWidget(m_attackView, 1);
    layout->addWidget(utilityTitle);
    layout->addWidget(m_utilityView, 1);
    return tab;
}

QWidget *RunViewer::makeEpochTab()
{
    m_perEpochView = makeTable(this, QStringLiteral("perEpochTable"));
    m_epochChart = new LineChartWidget(tr("epoch"), tr("share of queries"), this);
    m_epochChart->setYRange(std::pair{0.0, 1.0});
    m_epochK = new QComboBox(this);
    m_epochK->setObjectName(QStringLiteral("epochChartK"));
    for (int k : {1, 5, 10})
        m_epochK->addItem(tr("R@%1 and Hit@%1").arg(k), k);
    m_epochK->setCurrentIndex(2);
    connect(m_epochK, &QComboBox::currentIndexChanged, this, [this] { showEpochs(); });
    auto *chartBox = new QWidget(this);
    auto *chartLayout = new QVBoxLayout(chartBox);
    chartLayout->setContentsMargins(0, 0, 0, 0);
    auto *kRow = new QHBoxLayout;
    kRow->addWidget(new QLabel(tr("Chart:"), chartBox));
    kRow->addWidget(m_epochK);
    kRow->addStretch(1);
    chartLayout->addLayout(kRow);
    chartLayout->addWidget(m_epochChart, 1);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_perEpochView);
    split->addWidget(chartBox);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 2);
    return split;
}

QWidget *RunViewer::makePoisonTab()
{
    auto *box = new QWidget(this);
    m_poisonSummary = new QLabel(box);
    m_poisonSummary->setObjectName(QStringLiteral("poisonSummary"));
    m_poisonSummary->setWordWrap(true);
    m_poisonSummary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_poisonSummary->setTextFormat(Qt::RichText);
    m_poisonGoalsView = makeTable(box, QStringLiteral("poisonGoalsTable"));
    auto *layout = new QVBoxLayout(box);
    layout->addWidget(m_poisonSummary);
    layout->addWidget(m_poisonGoalsView);
    layout->addStretch(1);
    return box;
}

void RunViewer::setEpochChartK(int k)
{
    const int index = m_epochK->findData(k);
    if (index >= 0)
        m_epochK->setCurrentIndex(index);
}

QString RunViewer::poisonSummaryText() const
{
    return m_poisonSummary->text();
}

bool RunViewer::isLoading() const
{
    return m_loader->isBusy();
}

/// The per-epoch table and the chart for the chosen K.
void RunViewer::showEpochs()
{
    const std::vector<report::EpochRecord> epochs =
        m_results ? m_results->epochRecords() : std::vector<report::EpochRecord>{};
    delete m_perEpoch;
    m_perEpoch = RunEpochTables::perEpoch(epochs, this);
    m_perEpochView->setModel(m_perEpoch);
    const int k = m_epochK->currentData().toInt();
    m_epochChart->setTitle(tr("R@%1 and Hit@%1 after each epoch").arg(k));
    const auto series = RunEpochTables::perEpochRates(epochs, k);
    m_epochChart->setSeries(series);
    ChartAxes::integerX(m_epochChart, tr("epoch (0: the starting model)"), 0, epochs.empty() ? 1 : epochs.back().epoch);
    if (!m_results)
        m_epochChart->setPlaceholder(tr("No run open"));
    else if (series.isEmpty())
        m_epochChart->setPlaceholder(epochs.empty() ? tr("metrics.jsonl: no epochs in this run")
                                                    : tr("No evaluation after the epochs (the config's "
                                                         "evaluation.every_epoch was off)"));
    else
        m_epochChart->setPlaceholder({});
}

QString RunViewer::headerText() const
{
    return m_header->text();
}

QString RunViewer::problemsText() const
{
    return m_problems->isHidden() ? QString() : m_problems->text();
}

QString RunViewer::poisonNote() const
{
    return m_poison->text();
}

void RunViewer::clear()
{
    m_results.reset();
    m_error.clear();
    m_header->setText(tr("No run open — File › Open Run…, or run an experiment."));
    m_header->setStyleSheet(QString());
    m_problems->hide();
    m_poison->clear();
    offerDataset(std::nullopt);
    delete m_utility;
    delete m_attacks;
    m_utility = RunTables::utility(std::nullopt, std::nullopt, this);
    m_attacks = RunTables::attacks(std::nullopt, this);
    m_utilityView->setModel(m_utility);
    m_attackView->setModel(m_attacks);
    m_loss->setSeries({});
    m_loss->setPlaceholder(tr("No run open"));
    m_defense->clear();
    showEpochs();
    delete m_poisonGoals;
    m_poisonGoals = RunEpochTables::poisonGoals(std::nullopt, this);
    m_poisonGoalsView->setModel(m_poisonGoals);
    m_poisonSummary->clear();
}

QString RunViewer::problemAbout(const char *fileName) const
{
    if (!m_results)
        return {};
    for (const auto &p : m_results->problems)
        if (p.message != "missing" && (p.file.filename() == fileName || p.message.find(fileName) != std::string::npos))
            return q(p.text());
    return {};
}

bool RunViewer::openRun(const QString &dir)
{
    RunResultsPtr loaded;
    try {
        loaded = std::make_shared<report::RunResults>(report::RunResults::load(dir.toStdString()));
    } catch (const std::exception &e) {
        showError(dir, QString::fromStdString(e.what()));
        return false;
    }
    showRun(loaded);
    return true;
}

void RunViewer::openRunInBackground(const QString &dir)
{
    m_loadingDir = dir;
    JobOptions options;
    options.contextFile = dir;
    m_loader->start(
        [path = dir.toStdString()](ProgressReporter &) {
            return QVariant::fromValue(
                RunResultsPtr(std::make_shared<report::RunResults>(report::RunResults::load(path))));
        },
        options);
}

void RunViewer::showError(const QString &dir, const QString &message)
{
    clear();
    m_error = message;
    m_header->setText(tr("Cannot open the run %1:\n%2").arg(dir, m_error));
    m_header->setStyleSheet(StatusColors::errorStyle(palette()));
    Q_EMIT runFailed(dir, message);
}

void RunViewer::showRun(RunResultsPtr loaded)
{
    clear();
    m_results = loaded;
    const report::RunResults &r = *loaded;

    QString header =
        tr("<b>%1</b> — %2 — status %3").arg(q(r.name()).toHtmlEscaped(), q(r.attackLabel()), q(r.manifest.status));
    if (!r.evaluationTarget().empty())
        header += tr(" — evaluated on %1").arg(q(r.evaluationTarget()));
    if (r.utilityTarget() != r.evaluationTarget())
        header += tr(", utility on %1").arg(q(r.utilityTarget()));
    header += QStringLiteral("<br><small>%1</small>").arg(q(r.dir.string()).toHtmlEscaped());
    m_header->setText(header);

    m_poison->setText(RunEpochTables::poisonSummary(r));
    m_poisonSummary->setText(RunEpochTables::poisonDetails(r));
    delete m_poisonGoals;
    m_poisonGoals = RunEpochTables::poisonGoals(r.poisonManifest, this);
    m_poisonGoalsView->setModel(m_poisonGoals);
    fitHeightToRows(m_poisonGoalsView);
    showEpochs();

    QStringList problems;
    for (const auto &note : r.notes)
        problems << q(note);
    for (const auto &p : r.problems)
        if (p.message != "missing") // absent optional files are shown where they would appear
            problems << q(p.text());
    m_problems->setText(problems.join(QLatin1Char('\n')));
    m_problems->setVisible(!problems.isEmpty());

    delete m_utility;
    delete m_attacks;
    m_utility = RunTables::utility(r.evaluation, r.initialEvaluation, this);
    m_attacks = RunTables::attacks(r.evaluation, this);
    m_utilityView->setModel(m_utility);
    m_attackView->setModel(m_attacks);

    const auto loss = RunTables::lossCurve(r.metrics);
    m_loss->setSeries(loss);
    m_loss->setPlaceholder(loss.isEmpty() ? (r.metrics.empty() ? tr("metrics.jsonl: not in this run")
                                                               : tr("metrics.jsonl has no training steps"))
                                          : QString());

    auto defense = [&](const char *name) { return r.defense.count(name) ? r.defense.at(name) : json(); };
    m_defense->show(defense("prefilter"), problemAbout("prefilter.json"), defense("posttrain"),
                    problemAbout("posttrain.json"));
    Q_EMIT runOpened(q(r.dir.string()));
}

void RunViewer::offerDataset(std::optional<data::DatasetSource> source, const QString &text)
{
    m_offered = std::move(source);
    m_offerText->setText(text);
    m_offer->setVisible(m_offered.has_value());
}

} // namespace poisonlab::ui
