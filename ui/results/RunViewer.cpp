#include "results/RunViewer.h"

#include "charts/LineChartWidget.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/report/RunResults.h"
#include "results/DefenseResultsView.h"
#include "results/RunTables.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace poisonlab::ui {

using nlohmann::json;

namespace {

QTableView *makeTable(QWidget *parent, const QString &name)
{
    auto *view = new QTableView(parent);
    view->setObjectName(name);
    view->verticalHeader()->hide();
    view->setAlternatingRowColors(true);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
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
    m_problems->setStyleSheet(QStringLiteral("color: #8a5a00;"));
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

    m_tabs = new QTabWidget(this);
    m_utilityView = makeTable(this, QStringLiteral("utilityTable"));
    m_attackView = makeTable(this, QStringLiteral("attackTable"));
    m_loss = new LineChartWidget(tr("step"), tr("loss"), this);
    m_loss->setTitle(tr("Training loss"));
    m_defense = new DefenseResultsView(this);
    m_tabs->addTab(m_utilityView, tr("Utility"));
    m_tabs->addTab(m_attackView, tr("Attack"));
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
    std::shared_ptr<report::RunResults> loaded;
    try {
        loaded = std::make_shared<report::RunResults>(report::RunResults::load(dir.toStdString()));
    } catch (const std::exception &e) {
        clear();
        m_error = QString::fromStdString(e.what());
        m_header->setText(tr("Cannot open the run %1:\n%2").arg(dir, m_error));
        m_header->setStyleSheet(QStringLiteral("color: #b00020;"));
        return false;
    }
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

    if (r.poison.is_object())
        m_poison->setText(tr("Poison (%1): %2 poisoned pairs of %3 training pairs, φ = %4, rate %5")
                              .arg(q(r.poison.value("attack", "")))
                              .arg(r.poison.value("poisoned_pairs", 0LL))
                              .arg(r.poison.value("training_pairs", 0LL))
                              .arg(r.poison.value("phi", 0.0), 0, 'g', 4)
                              .arg(r.poison.value("rate", 0.0), 0, 'g', 4));
    else
        m_poison->setText(tr("poison/manifest.json: not in this run (a clean run)"));

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
    return true;
}

void RunViewer::offerDataset(std::optional<data::DatasetSource> source, const QString &text)
{
    m_offered = std::move(source);
    m_offerText->setText(text);
    m_offer->setVisible(m_offered.has_value());
}

} // namespace poisonlab::ui
