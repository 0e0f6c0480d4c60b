#include "design/AttackDesignerPanel.h"

#include "design/AttackOptionsCheck.h"
#include "design/ParameterField.h"
#include "design/PluginOptionsForm.h"
#include "design/PoisonPreviewPanel.h"
#include "design/TargetImagePicker.h"
#include "design/TrainingSetReader.h"
#include "design/TrainingSetSummary.h"
#include "experiment/ExperimentDraft.h"

#include "poisonlab/core/plugin/PluginRegistry.h"

#include <QComboBox>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

namespace poisonlab::ui {

using nlohmann::json;

namespace {

QLabel *wrappedLabel(QWidget *parent, const char *objectName)
{
    auto *label = new QLabel(parent);
    label->setObjectName(QString::fromLatin1(objectName));
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

void setProblemColour(QLabel *label, bool problem)
{
    QPalette palette = label->parentWidget() ? label->parentWidget()->palette() : label->palette();
    if (problem)
        palette.setColor(QPalette::WindowText, ParameterField::problemColor(palette));
    label->setPalette(palette);
}

bool hasParameter(const plugin::PluginMetadata &meta, const char *name)
{
    for (const auto &p : meta.parameters)
        if (p.name == name)
            return true;
    return false;
}

// The options of the attack left behind that the newly chosen one also takes; one goal and a
// goals list turn into each other, so switching between Attacks II and III keeps the classes.
json carryOver(const json &old, const plugin::PluginMetadata &to)
{
    json out = json::object();
    if (!old.is_object())
        return out;
    for (const auto &p : to.parameters)
        if (old.contains(p.name))
            out[p.name] = old[p.name];
    const std::vector<DesignedGoal> goals = goalsOf(old);
    const bool single = hasParameter(to, "source") && hasParameter(to, "target");
    if (single && !out.contains("source") && !out.contains("goals") && !goals.empty()) {
        out["source"] = goals.front().source;
        out["target"] = goals.front().target;
    } else if (!single && hasParameter(to, "goals") && !out.contains("goals") && !goals.empty()) {
        out["goals"] = json::array();
        for (const DesignedGoal &g : goals)
            out["goals"].push_back({{"source", g.source}, {"target", g.target}});
    }
    for (auto it = out.begin(); it != out.end();)
        it = it.value().is_string() && it.value().get<std::string>().empty() ? out.erase(it) : std::next(it);
    return out;
}

QString percent(double fraction)
{
    return QLocale().toString(fraction * 100.0, 'f', fraction < 0.01 ? 3 : 2) + QLatin1Char('%');
}

} // namespace

AttackDesignerPanel::AttackDesignerPanel(ExperimentDraft *draft, QWidget *parent)
    : QWidget(parent), m_draft(draft), m_reader(new TrainingSetReader(draft, this)), m_attack(new QComboBox(this)),
      m_description(wrappedLabel(this, "attackDescription")), m_trainingSet(wrappedLabel(this, "trainingSet")),
      m_form(new PluginOptionsForm(this)), m_rate(wrappedLabel(this, "rateStats")),
      m_paper(wrappedLabel(this, "paperFigure")), m_problems(wrappedLabel(this, "problems")),
      m_preview(new PoisonPreviewPanel(draft, this)), m_status(wrappedLabel(this, "status")),
      m_train(new QPushButton(tr("Train this attack →"), this)), m_previewTimer(new QTimer(this))
{
    m_attack->setObjectName(QStringLiteral("attackType"));
    m_train->setObjectName(QStringLiteral("trainAttack"));
    m_description->setForegroundRole(QPalette::PlaceholderText);
    m_paper->setForegroundRole(QPalette::PlaceholderText);
    setProblemColour(m_problems, true);
    m_previewTimer->setSingleShot(true);
    m_previewTimer->setInterval(300);
    fillAttackBox();

    QWidget *rateInfo = buildLayout();

    connect(m_attack, &QComboBox::activated, this, &AttackDesignerPanel::attackChosen);
    connect(m_form, &PluginOptionsForm::edited, this, &AttackDesignerPanel::formEdited);
    connect(m_train, &QPushButton::clicked, this, &AttackDesignerPanel::trainRequested);
    connect(m_previewTimer, &QTimer::timeout, this, [this] {
        m_previewKey = attackSection().dump();
        m_preview->refresh();
    });
    connect(m_preview, &PoisonPreviewPanel::previewReady, this,
            [this](std::shared_ptr<const attack::PoisonManifest> manifest) { onPreviewReady(manifest); });
    connect(m_reader, &TrainingSetReader::started, this, &AttackDesignerPanel::showTrainingSet);
    connect(m_reader, &TrainingSetReader::ready, this, [this] {
        m_splitSummary.reset();
        m_form->setTrainingSet(m_reader->summary());
        showTrainingSet();
        updateChecks();
    });
    connect(m_reader, &TrainingSetReader::failed, this, [this] {
        m_form->setTrainingSet(nullptr);
        showTrainingSet();
        updateChecks();
    });
    connect(m_draft, &ExperimentDraft::reset, this, &AttackDesignerPanel::reload);
    m_form->addRowBelow(QStringLiteral("rate"), rateInfo);
    reload();
    m_reader->scheduleRead();
}

AttackDesignerPanel::~AttackDesignerPanel() = default;

// The form (attack, training set, options) in a scroll area above the preview, the status line
// and Train below; returns the rows shown under the rate.
QWidget *AttackDesignerPanel::buildLayout()
{
    auto *rateInfo = new QWidget(this);
    auto *rateLayout = new QVBoxLayout(rateInfo);
    rateLayout->setContentsMargins(0, 0, 0, 4);
    rateLayout->addWidget(m_rate);
    rateLayout->addWidget(m_paper);
    rateInfo->setObjectName(QStringLiteral("rateInfo"));

    auto *form = new QWidget(this);
    auto *top = new QGridLayout; // not a QFormLayout: it leaves gaps around word-wrapped labels
    auto *attackLabel = new QLabel(tr("&Attack"), form);
    attackLabel->setBuddy(m_attack);
    top->addWidget(attackLabel, 0, 0);
    top->addWidget(m_attack, 0, 1);
    top->addWidget(m_description, 1, 1);
    top->addWidget(new QLabel(tr("Training set"), form), 2, 0, Qt::AlignLeft | Qt::AlignTop);
    top->addWidget(m_trainingSet, 2, 1);
    top->setColumnStretch(1, 1);
    auto *options = new QGroupBox(tr("Options"), form);
    auto *optionsLayout = new QVBoxLayout(options);
    optionsLayout->addWidget(m_form);
    auto *formLayout = new QVBoxLayout(form);
    formLayout->addLayout(top);
    formLayout->addWidget(options);
    formLayout->addWidget(m_problems);
    formLayout->addStretch();
    m_scroll = new QScrollArea(this);
    m_scroll->setWidget(form);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);

    m_split = new QSplitter(Qt::Vertical, this);
    m_split->addWidget(m_scroll);
    m_split->addWidget(m_preview);
    m_split->setStretchFactor(0, 0);
    m_split->setStretchFactor(1, 1);
    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_status, 1);
    bottom->addWidget(m_train);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_split, 1);
    layout->addLayout(bottom);
    return rateInfo;
}

void AttackDesignerPanel::fillAttackBox()
{
    m_attack->addItem(tr("No attack (clean run)"), QString());
    m_attack->setItemData(0, tr("Train on clean data: the reference every attack is compared with"), Qt::ToolTipRole);
    auto attacks = plugin::PluginRegistry::instance().plugins("attack");
    // By name, so Attacks I, II and III come in order whatever their folders are called.
    std::sort(attacks.begin(), attacks.end(), [](const auto &a, const auto &b) { return a.name < b.name; });
    for (const plugin::PluginMetadata &meta : attacks) {
        m_attack->addItem(QString::fromStdString(meta.name), QString::fromStdString(meta.id));
        m_attack->setItemData(m_attack->count() - 1, QString::fromStdString(meta.description), Qt::ToolTipRole);
    }
}

QString AttackDesignerPanel::attackId() const
{
    return m_attack->currentData().toString();
}

const plugin::PluginMetadata *AttackDesignerPanel::currentPlugin() const
{
    const QString id = attackId();
    if (id.isEmpty() || !m_keptAttack.is_null())
        return nullptr;
    return plugin::PluginRegistry::instance().find(id.toStdString());
}

json AttackDesignerPanel::options() const
{
    if (!m_keptAttack.is_null())
        return m_keptAttack.value("options", json::object());
    return m_form->options();
}

json AttackDesignerPanel::attackSection() const
{
    if (!m_keptAttack.is_null())
        return m_keptAttack;
    if (attackId().isEmpty())
        return nullptr;
    return {{"plugin", attackId().toStdString()}, {"options", m_form->options()}};
}

void AttackDesignerPanel::selectAttack(const QString &pluginId)
{
    const int at = m_attack->findData(pluginId);
    if (at < 0)
        return;
    m_attack->setCurrentIndex(at);
    attackChosen();
}

void AttackDesignerPanel::attackChosen()
{
    const json old = options();
    m_keptAttack = nullptr;
    const plugin::PluginMetadata *meta = currentPlugin();
    showAttack(attackId(), meta ? carryOver(old, *meta) : json::object());
    m_form->giveRequiredDefaults();
    formEdited();
}

// Shows `pluginId` with `options` in the form (no write).
void AttackDesignerPanel::showAttack(const QString &pluginId, const json &options)
{
    QWidget *rateInfo = findChild<QWidget *>(QStringLiteral("rateInfo"));
    const plugin::PluginMetadata *meta =
        pluginId.isEmpty() ? nullptr : plugin::PluginRegistry::instance().find(pluginId.toStdString());
    m_form->setPlugin(meta);
    m_form->setTrainingSet(m_reader->summary());
    m_form->setOptions(options);
    if (meta && m_form->field(QStringLiteral("rate")))
        m_form->addRowBelow(QStringLiteral("rate"), rateInfo);
    m_description->setText(meta ? QString::fromStdString(meta->description)
                                : m_attack->currentData(Qt::ToolTipRole).toString());
    m_train->setText(pluginId.isEmpty() ? tr("Train the clean model →") : tr("Train this attack →"));
    m_exact.reset();
    m_splitSummary.reset();
    fitFormHeight();
}

void AttackDesignerPanel::fitFormHeight(bool growOnly)
{
    const int total = m_split->height();
    if (total <= 0 || !isVisible())
        return;
    const QWidget *content = m_scroll->widget();
    const int width = m_scroll->viewport()->width();
    const int need =
        content->hasHeightForWidth() && width > 0 ? content->heightForWidth(width) : content->sizeHint().height();
    const int form = std::min(need + 2 * fontMetrics().lineSpacing(), total * 2 / 3); // slack: hfw runs short
    if (growOnly && form <= m_split->sizes().value(0))
        return;
    m_split->setSizes({form, std::max(total - form, 1)});
}

void AttackDesignerPanel::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    fitFormHeight();
}

void AttackDesignerPanel::reload()
{
    m_loading = true;
    const json attack = m_draft->section("attack");
    m_keptAttack = nullptr;
    QString id;
    json opts = json::object();
    if (attack.is_object()) {
        id = QString::fromStdString(attack.value("plugin", std::string()));
        opts = attack.value("options", json::object());
    }
    int at = m_attack->findData(id);
    if (at < 0) { // a plugin that is not installed: shown and kept as it came, never rewritten
        m_attack->addItem(tr("%1 (not installed)").arg(id), id);
        at = m_attack->count() - 1;
    }
    m_attack->setCurrentIndex(at);
    if (!id.isEmpty() && !plugin::PluginRegistry::instance().find(id.toStdString()))
        m_keptAttack = attack;
    showAttack(m_keptAttack.is_null() ? id : QString(), opts);
    m_loading = false;
    updateChecks();
    if (isValid() && currentPlugin())
        m_previewTimer->start();
}

void AttackDesignerPanel::formEdited()
{
    m_exact.reset();
    showDrawnImage({});
    updateChecks();
    if (m_loading || !isValid())
        return;
    writeToDraft();
    if (currentPlugin())
        m_previewTimer->start();
}

void AttackDesignerPanel::writeToDraft()
{
    const json section = attackSection();
    m_draft->setSection("attack", section);
    if (const plugin::PluginMetadata *meta = currentPlugin()) {
        const json opts = m_form->options();
        const bool imageAttack = hasParameter(*meta, "target_image");
        json goals = json::array();
        for (const DesignedGoal &g : goalsOf(opts)) {
            json goal = {{"source", g.source}, {"target", g.target}};
            if (imageAttack && opts.contains("target_image"))
                goal["target_image"] = opts["target_image"];
            goals.push_back(goal);
        }
        // Attack I with x* drawn by the attack: core measures the drawn image when no goals are given.
        m_draft->setEvaluationKey("goals", imageAttack && !opts.contains("target_image") ? json() : goals);
    }
}

std::shared_ptr<const TrainingSetSummary> AttackDesignerPanel::summaryForAttack() const
{
    auto base = m_reader->summary();
    const plugin::PluginMetadata *meta = currentPlugin();
    if (!base || !meta || !base->dataset || base->split == "all")
        return base;
    json split = m_form->options().value("split", json());
    if (ParameterField *f = m_form->field(QStringLiteral("split")); f && split.is_null())
        split = f->parameter().defaultValue;
    if (!split.is_string() || split.get<std::string>() == base->split)
        return base;
    if (!m_splitSummary || m_splitSummary->split != split.get<std::string>() ||
        m_splitSummary->dataset != base->dataset) {
        auto other =
            std::make_shared<TrainingSetSummary>(TrainingSetSummary::compute(*base->dataset, split.get<std::string>()));
        other->dataset = base->dataset;
        m_splitSummary = std::move(other);
    }
    return m_splitSummary;
}

void AttackDesignerPanel::updateChecks()
{
    m_problemList.clear();
    QStringList unplacedText;
    if (!m_keptAttack.is_null()) {
        unplacedText << tr("The attack plugin \"%1\" is not installed: pick another attack.").arg(attackId());
        m_problemList << unplacedText;
    }
    if (const plugin::PluginMetadata *meta = currentPlugin()) {
        const auto summary = summaryForAttack();
        const std::vector<OptionProblem> problems = checkAttackOptions(*meta, m_form->options(), summary.get());
        for (const OptionProblem &p : m_form->showProblems(problems))
            unplacedText << QString::fromStdString(p.message);
        for (const OptionProblem &p : problems) {
            ParameterField *f = m_form->field(QString::fromStdString(p.field));
            m_problemList << (f ? f->label() + QStringLiteral(": ") : QString()) + QString::fromStdString(p.message);
        }
    }
    if (!m_reader->errorText().isEmpty() && !attackId().isEmpty())
        m_problemList << tr("The training set could not be read");
    m_problems->setText(unplacedText.join(QLatin1Char('\n')));
    m_problems->setVisible(!unplacedText.isEmpty());
    m_train->setEnabled(m_problemList.isEmpty());
    m_preview->setEnabled(m_problemList.isEmpty() && currentPlugin());
    updateRateText();
    updateStatus();
}

QStringList AttackDesignerPanel::problems() const
{
    return m_problemList;
}

void AttackDesignerPanel::updateRateText()
{
    const plugin::PluginMetadata *meta = currentPlugin();
    if (!meta || !m_form->field(QStringLiteral("rate")))
        return;
    const json opts = m_form->options();
    const std::vector<DesignedGoal> goals = goalsOf(opts);
    m_paper->setText(QString::fromStdString(paperFigureFor(meta->id, goals)));
    if (m_exact) {
        QStringList perGoal;
        for (const attack::GoalSummary &g : m_exact->goals)
            perGoal << tr("%1 → %2: %3 of %4 %5")
                           .arg(QString::fromStdString(g.source), QString::fromStdString(g.target))
                           .arg(g.poisonedUnits)
                           .arg(g.eligibleUnits)
                           .arg(m_exact->unit == "image" ? tr("images") : tr("captions"));
        m_rate->setText(tr("%1 poisoned pairs of %2 training pairs: φ = |Dp|/|D| = %3 (exact, from the preview).\n%4")
                            .arg(m_exact->poisonedPairs)
                            .arg(m_exact->trainingPairs)
                            .arg(percent(m_exact->phi()))
                            .arg(perGoal.join(QLatin1Char('\n'))));
        return;
    }
    const auto summary = summaryForAttack();
    const json rate = opts.value("rate", m_form->field(QStringLiteral("rate"))->parameter().defaultValue);
    json unit = opts.value("unit", json());
    if (ParameterField *f = m_form->field(QStringLiteral("unit")); f && unit.is_null())
        unit = f->parameter().defaultValue;
    if (!summary || !rate.is_number() || goals.empty()) {
        m_rate->setText(m_reader->isBusy()
                            ? tr("Poisoned pairs: counted once the training set is read.")
                            : tr("Poisoned pairs: pick the classes to see how many pairs this rate poisons."));
        return;
    }
    long long pairs = 0;
    for (const DesignedGoal &g : goals)
        pairs += summary->estimatePoisonedPairs(g.source, rate.get<double>(),
                                                unit.is_string() ? unit.get<std::string>() : "caption");
    const double phi = summary->trainingPairs > 0 ? double(pairs) / double(summary->trainingPairs) : 0.0;
    m_rate->setText(tr("≈ %1 poisoned pairs of %2 training pairs: φ = |Dp|/|D| ≈ %3 (estimated from the class counts; "
                       "the preview gives the exact pairs)")
                        .arg(pairs)
                        .arg(summary->trainingPairs)
                        .arg(percent(phi)));
}

void AttackDesignerPanel::onPreviewReady(const std::shared_ptr<const attack::PoisonManifest> &manifest)
{
    if (m_previewKey != attackSection().dump())
        return; // the form changed since: the estimate stays until the next preview
    m_exact = manifest;
    updateRateText();
    fitFormHeight(true); // the exact figures may take more lines than the estimate
    const auto drawn = manifest->options.find("target_image");
    if (!m_form->options().contains("target_image") && drawn != manifest->options.end() && drawn->is_string())
        showDrawnImage(QString::fromStdString(drawn->get<std::string>()));
}

void AttackDesignerPanel::showDrawnImage(const QString &path)
{
    for (ParameterField *f : m_form->fields())
        if (TargetImagePicker *picker = f->imagePicker())
            picker->setDrawnImage(path);
}

void AttackDesignerPanel::showTrainingSet()
{
    const bool failed = !m_reader->errorText().isEmpty() && !m_reader->isBusy();
    setProblemColour(m_trainingSet, failed);
    if (m_reader->isBusy()) {
        m_trainingSet->setText(tr("Reading the training set…"));
    } else if (failed) {
        const QString file = m_reader->errorFile();
        m_trainingSet->setText(
            tr("Could not read the training set: %1%2")
                .arg(m_reader->errorText(), file.isEmpty() ? QString() : tr(" (file: %1)").arg(file)));
    } else if (const auto s = m_reader->summary()) {
        int classes = 0;
        for (const ClassCount &c : s->classes)
            classes += c.captions > 0 ? 1 : 0;
        m_trainingSet->setText(tr("%1 image-caption pairs in the “%2” split; %3 classes with captions there")
                                   .arg(s->trainingPairs)
                                   .arg(QString::fromStdString(s->split))
                                   .arg(classes));
    }
    updateStatus();
}

void AttackDesignerPanel::updateStatus()
{
    const plugin::PluginMetadata *meta = currentPlugin();
    if (!m_problemList.isEmpty())
        m_status->setText(
            (m_problemList.size() == 1
                 ? tr("Fix this before previewing or training: %1")
                 : tr("Fix %1 problems before previewing or training; first: %2").arg(m_problemList.size()))
                .arg(m_problemList.front()));
    else if (m_reader->isBusy())
        m_status->setText(tr("Reading the training set…"));
    else if (!meta)
        m_status->setText(tr("Clean run: no pair is poisoned; the reference an attack is compared with."));
    else {
        QStringList goals;
        for (const DesignedGoal &g : goalsOf(m_form->options()))
            goals << QString::fromStdString(g.source + " → " + g.target);
        m_status->setText(tr("Ready: %1, %2. The preview below lists the poisoned pairs.")
                              .arg(QString::fromStdString(meta->name), goals.join(QStringLiteral(", "))));
    }
    setProblemColour(m_status, !m_problemList.isEmpty());
}

QString AttackDesignerPanel::trainingSetText() const
{
    return m_trainingSet->text();
}

QString AttackDesignerPanel::rateText() const
{
    return m_rate->text();
}

QString AttackDesignerPanel::paperText() const
{
    return m_paper->text();
}

QString AttackDesignerPanel::statusText() const
{
    return m_status->text();
}

} // namespace poisonlab::ui
