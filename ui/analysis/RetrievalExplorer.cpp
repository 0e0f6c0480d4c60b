#include "analysis/RetrievalExplorer.h"

#include "analysis/RetrievalResultColumn.h"
#include "jobs/JobRunner.h"
#include "poisonlab/core/Error.h"
#include "style/StatusColors.h"

#include <QComboBox>
#include <QCompleter>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTimer>
#include <QVBoxLayout>

namespace poisonlab::ui {

namespace {

constexpr int kTypingPauseMs = 150;

} // namespace

RetrievalExplorer::RetrievalExplorer(QWidget *parent) : QWidget(parent)
{
    qRegisterMetaType<std::shared_ptr<RetrievalGalleries>>();
    qRegisterMetaType<std::shared_ptr<RetrievalAnswer>>();
    m_loader = new JobRunner("retrieval-galleries", this);
    m_queries = new JobRunner("retrieval-queries", this);
    m_typingPause = new QTimer(this);
    m_typingPause->setSingleShot(true);
    m_typingPause->setInterval(kTypingPauseMs);
    buildLayout();

    connect(m_typingPause, &QTimer::timeout, this, &RetrievalExplorer::runQuery);
    connect(m_query, &QLineEdit::textEdited, this, [this] {
        m_pickedCaption = -1;
        m_typingPause->start();
    });
    connect(m_query, &QLineEdit::returnPressed, this, &RetrievalExplorer::runQuery);
    connect(m_k, &QSpinBox::valueChanged, this, [this] { m_typingPause->start(); });
    connect(m_captionPicker, &QComboBox::activated, this,
            [this](int index) { pickCaption(m_captionPicker->itemData(index).toInt()); });
    connect(m_cancel, &QPushButton::clicked, m_loader, &JobRunner::cancel);

    connect(m_loader, &JobRunner::progress, this, [this](quint64, const ProgressEvent &e) {
        m_progress->setRange(0, e.total > 0 ? int(e.total) : 0);
        m_progress->setValue(int(e.done));
        if (!e.message.empty())
            setStatus(QString::fromStdString(e.message) + QStringLiteral("…"), false);
    });
    connect(m_loader, &JobRunner::busyChanged, this, [this](bool busy) {
        m_progress->setVisible(busy);
        m_cancel->setVisible(busy);
    });
    connect(m_loader, &JobRunner::finished, this, [this](quint64, const QVariant &result, double) {
        onGalleriesLoaded(result.value<std::shared_ptr<RetrievalGalleries>>());
    });
    connect(m_loader, &JobRunner::failed, this, [this](quint64, const QString &message, const QString &) {
        setStatus(tr("The galleries could not be loaded: %1").arg(message), true);
        Q_EMIT galleriesReady();
    });
    connect(m_loader, &JobRunner::cancelled, this, [this] {
        setStatus(tr("Loading cancelled (nothing was written). Pick a model to load it again."), true);
        Q_EMIT galleriesReady();
    });
    connect(m_queries, &JobRunner::finished, this, [this](quint64, const QVariant &result, double) {
        if (auto answer = result.value<std::shared_ptr<RetrievalAnswer>>())
            showAnswer(*answer);
    });
    connect(m_queries, &JobRunner::failed, this,
            [this](quint64, const QString &message, const QString &) { setStatus(message, true); });
}

RetrievalExplorer::~RetrievalExplorer() = default;

void RetrievalExplorer::buildLayout()
{
    m_query = new QLineEdit(this);
    m_query->setPlaceholderText(tr("Type a caption, e.g. \"a sheep on the grass\""));
    m_query->setClearButtonEnabled(true);
    m_captionPicker = new QComboBox(this);
    m_captionPicker->setEditable(true);
    m_captionPicker->setInsertPolicy(QComboBox::NoInsert);
    m_captionPicker->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_captionPicker->setMinimumContentsLength(30);
    m_captionPicker->lineEdit()->setPlaceholderText(tr("or search the gallery's captions…"));
    m_captionPicker->completer()->setFilterMode(Qt::MatchContains);
    m_captionPicker->completer()->setCompletionMode(QCompleter::PopupCompletion);
    m_k = new QSpinBox(this);
    m_k->setRange(1, 200);
    m_k->setValue(20);
    m_k->setPrefix(tr("top "));
    m_k->setToolTip(tr("How many images (and captions) each model returns"));
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_progress = new QProgressBar(this);
    m_progress->setMaximumWidth(200);
    m_progress->hide();
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->hide();

    auto *queryRow = new QHBoxLayout;
    queryRow->addWidget(new QLabel(tr("Query:"), this));
    queryRow->addWidget(m_query, 3);
    queryRow->addWidget(m_captionPicker, 2);
    queryRow->addWidget(m_k);
    auto *statusRow = new QHBoxLayout;
    statusRow->addWidget(m_status, 1);
    statusRow->addWidget(m_progress);
    statusRow->addWidget(m_cancel);
    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setObjectName("retrievalColumns");
    splitter->setChildrenCollapsible(false);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(queryRow);
    layout->addLayout(statusRow);
    layout->addWidget(splitter, 1);
}

void RetrievalExplorer::setRuns(const AnalysisRuns &runs)
{
    m_runs = runs;
    m_sides.clear();
    for (const QString &dir : {runs.poisoned, runs.clean})
        if (!dir.isEmpty())
            m_sides.push_back({dir, "final"});
    auto *splitter = findChild<QSplitter *>("retrievalColumns");
    while (m_columns.size() > m_sides.size()) {
        delete m_columns.back();
        m_columns.pop_back();
    }
    while (m_columns.size() < m_sides.size()) {
        auto *column = new RetrievalResultColumn(splitter);
        const int side = int(m_columns.size());
        connect(column, &RetrievalResultColumn::modelChanged, this, [this, side](const QString &model) {
            m_sides[std::size_t(side)].model = model;
            loadGalleries();
        });
        connect(column, &RetrievalResultColumn::selectionChanged, this, &RetrievalExplorer::imagesSelected);
        connect(column, &RetrievalResultColumn::imagePicked, this, &RetrievalExplorer::runImageQuery);
        splitter->addWidget(column);
        m_columns.push_back(column);
    }
    for (std::size_t i = 0; i < m_sides.size(); ++i) {
        const QString name = QFileInfo(m_sides[i].runDir).fileName();
        const bool pair = m_sides.size() == 2;
        m_columns[i]->setTitle(pair ? (i == 0 ? tr("Poisoned: %1") : tr("Clean: %1")).arg(name) : name);
        m_columns[i]->setModels({"final"}, "final");
        m_columns[i]->clearResults();
    }
    if (m_sides.empty())
        setStatus(tr("Open a run to explore what its model retrieves."), false);
    else if (m_sides.size() == 1)
        setStatus(tr("Only one run is open: open its clean counterpart too to compare the two side by side."), false);
    loadGalleries();
}

void RetrievalExplorer::loadGalleries()
{
    std::vector<std::pair<QString, Side>> needed;
    QStringList runsWithoutModels;
    for (const Side &side : m_sides) {
        if (!m_galleries.contains(key(side)))
            needed.emplace_back(key(side), side);
        if (!m_models.contains(side.runDir))
            runsWithoutModels << side.runDir;
    }
    if (needed.empty() && runsWithoutModels.isEmpty()) {
        applyGalleries();
        return;
    }
    setStatus(tr("Loading the galleries' embeddings…"), false);
    m_loader->start([needed, runsWithoutModels](ProgressReporter &progress) {
        auto out = std::make_shared<RetrievalGalleries>();
        for (const QString &dir : runsWithoutModels)
            out->models.emplace_back(dir, retrievalModelsOf(dir));
        for (const auto &[k, side] : needed) {
            try {
                out->loaded.emplace_back(k, experiment::RetrievalGallery::load(
                                                {side.runDir.toStdString(), side.model.toStdString(), true}, progress));
            } catch (const Error &e) {
                out->errors.emplace_back(k, QString::fromStdString(e.what()));
            }
        }
        return QVariant::fromValue(out);
    });
}

void RetrievalExplorer::onGalleriesLoaded(const std::shared_ptr<RetrievalGalleries> &loaded)
{
    if (!loaded)
        return;
    for (const auto &[dir, models] : loaded->models)
        m_models.insert(dir, models);
    for (const auto &[k, gallery] : loaded->loaded)
        m_galleries.insert(k, gallery);
    setStatus(QString(), false);
    for (const auto &[k, message] : loaded->errors)
        for (std::size_t i = 0; i < m_sides.size(); ++i)
            if (key(m_sides[i]) == k)
                m_columns[i]->showMessage(message, true);
    applyGalleries();
}

void RetrievalExplorer::applyGalleries()
{
    for (std::size_t i = 0; i < m_sides.size(); ++i) {
        const Side &side = m_sides[i];
        m_columns[i]->setModels(m_models.value(side.runDir, {"final"}), side.model);
        const GalleryPtr g = m_galleries.value(key(side));
        m_columns[i]->setGallery(g);
        if (g && !g->canEmbedText())
            m_columns[i]->showMessage(tr("Typed queries need this model's weights (%1); pick a caption instead.")
                                          .arg(QString::fromStdString(g->textProblem())),
                                      true);
        else if (g)
            m_columns[i]->showMessage(QString());
    }
    const GalleryPtr first = m_sides.empty() ? nullptr : m_galleries.value(key(m_sides.front()));
    if (first != m_pickerGallery) {
        m_pickerGallery = first;
        fillCaptionPicker();
    }
    Q_EMIT galleriesReady();
    if (m_query->text().isEmpty() && m_pickedCaption < 0 && startWithSourceCaption())
        return; // pickCaption() ran the query
    runQuery();
}

// A first look that shows the point at once: the first gallery caption of the attack's source
// class (class A of the first goal), so the target images' climb is visible without typing.
bool RetrievalExplorer::startWithSourceCaption()
{
    if (!m_pickerGallery || m_pickerGallery->goalNames().empty())
        return false;
    const std::string goal = m_pickerGallery->goalNames().front();
    const std::string source = goal.substr(0, goal.find("->"));
    const auto &ds = *m_pickerGallery->dataset();
    for (std::size_t r = 0; r < ds.captions.size(); ++r) {
        const int image = ds.captions[r].image;
        const int label = image >= 0 ? ds.images[std::size_t(image)].label : -1;
        if (label >= 0 && ds.classes[std::size_t(label)] == source) {
            pickCaption(int(r));
            return true;
        }
    }
    return false;
}

void RetrievalExplorer::fillCaptionPicker()
{
    m_captionPicker->clear();
    if (!m_pickerGallery)
        return;
    const auto &ds = *m_pickerGallery->dataset();
    for (std::size_t r = 0; r < ds.captions.size(); ++r) {
        const int image = ds.captions[r].image;
        const int label = image >= 0 ? ds.images[std::size_t(image)].label : -1;
        const QString cls = label >= 0 ? QString::fromStdString(ds.classes[std::size_t(label)]) : QString("-");
        m_captionPicker->addItem(QString::fromStdString(ds.captions[r].text) + "  [" + cls + "]", int(r));
    }
    m_captionPicker->setCurrentIndex(-1);
}

QString RetrievalExplorer::queryText() const
{
    return m_query->text();
}

void RetrievalExplorer::setQueryText(const QString &text)
{
    m_query->setText(text);
    m_pickedCaption = -1;
    m_typingPause->start();
}

void RetrievalExplorer::pickCaption(int row)
{
    if (!m_pickerGallery || row < 0 || row >= m_pickerGallery->captionCount())
        return;
    m_pickedCaption = row;
    m_query->setText(QString::fromStdString(m_pickerGallery->dataset()->captions[std::size_t(row)].text));
    m_typingPause->stop();
    runQuery();
}

void RetrievalExplorer::setTopK(int k)
{
    m_k->setValue(k);
}

void RetrievalExplorer::runQuery()
{
    m_typingPause->stop();
    if (m_sides.empty() || m_loader->isBusy())
        return; // the query runs when the galleries are in
    if (m_query->text().trimmed().isEmpty()) {
        for (auto *column : m_columns)
            column->clearResults();
        setStatus(m_query->text().isEmpty()
                      ? tr("Type a caption or pick one from the gallery to see the images each model ranks highest.")
                      : tr("The query is empty: type a few words."),
                  !m_query->text().isEmpty());
        Q_EMIT resultsShown();
        return;
    }
    RetrievalQuery q;
    q.kind = m_pickedCaption >= 0 ? RetrievalQuery::Kind::Caption : RetrievalQuery::Kind::Text;
    q.text = m_query->text().toStdString();
    q.captionRow = m_pickedCaption;
    startQuery(std::move(q));
}

void RetrievalExplorer::runImageQuery(const QString &path)
{
    m_pickedImage = path;
    RetrievalQuery q;
    q.kind = RetrievalQuery::Kind::Image;
    q.imagePath = path.toStdString();
    startQuery(std::move(q));
}

void RetrievalExplorer::startQuery(RetrievalQuery q)
{
    q.k = m_k->value();
    for (const Side &side : m_sides)
        q.sides.push_back(m_galleries.value(key(side)));
    m_queries->start([q](ProgressReporter &) {
        return QVariant::fromValue(std::make_shared<RetrievalAnswer>(answerRetrievalQuery(q)));
    });
}

void RetrievalExplorer::showAnswer(const RetrievalAnswer &a)
{
    if (a.kind == RetrievalQuery::Kind::Image) {
        for (std::size_t i = 0; i < m_columns.size() && i < a.captions.size(); ++i)
            if (a.errors[i].isEmpty())
                m_columns[i]->showCaptions(a.captions[i], m_pickedImage);
            else
                m_columns[i]->showMessage(a.errors[i], true);
        Q_EMIT resultsShown();
        return;
    }
    // One message for a query no side could answer (it tokenises to nothing, say).
    const bool allFailed = std::all_of(a.errors.begin(), a.errors.end(), [](const QString &e) { return !e.isEmpty(); });
    setStatus(allFailed && !a.errors.empty() ? a.errors.front() : QString(), allFailed);
    for (std::size_t i = 0; i < m_columns.size() && i < a.images.size(); ++i) {
        m_columns[i]->showImages(a.images[i]);
        if (!a.errors[i].isEmpty() && !allFailed)
            m_columns[i]->showMessage(a.errors[i], true);
    }
    Q_EMIT resultsShown();
}

void RetrievalExplorer::setStatus(const QString &text, bool error)
{
    m_status->setText(text);
    m_status->setVisible(!text.isEmpty());
    m_status->setStyleSheet(error ? StatusColors::errorStyle(palette()) : QString());
}

int RetrievalExplorer::columnCount() const
{
    return int(m_columns.size());
}

RetrievalResultColumn *RetrievalExplorer::column(int side) const
{
    return side >= 0 && std::size_t(side) < m_columns.size() ? m_columns[std::size_t(side)] : nullptr;
}

QString RetrievalExplorer::statusText() const
{
    return m_status->text();
}

bool RetrievalExplorer::isBusy() const
{
    return m_loader->isBusy() || m_queries->isBusy() || m_typingPause->isActive();
}

} // namespace poisonlab::ui
