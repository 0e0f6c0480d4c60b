#include "experiment/ExperimentDataBar.h"

#include "experiment/ExperimentDraft.h"
#include "poisonlab/core/experiment/ExperimentConfig.h"

#include <QDir>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

#include <algorithm>

namespace poisonlab::ui {

using nlohmann::json;

namespace {

QString describeSpec(const experiment::DatasetSpec &d)
{
    QString text = QStringLiteral("<b>%1</b> (%2, %3")
                       .arg(QString::fromStdString(d.name).toHtmlEscaped(),
                            QString::fromStdString(d.source.format).toHtmlEscaped(),
                            QDir::toNativeSeparators(QString::fromStdString(d.source.root.string())).toHtmlEscaped());
    if (d.splitMethod == "per-class-test")
        text += QObject::tr(", %1 test images per class").arg(d.testPerClass);
    if (d.maxImages > 0)
        text += QObject::tr(", a clean share of %1 images").arg(d.maxImages);
    if (!d.keepLabels)
        text += QObject::tr(", unlabelled");
    return text + QLatin1Char(')');
}

} // namespace

ExperimentDataBar::ExperimentDataBar(ExperimentDraft *draft, QWidget *parent) : QWidget(parent), m_draft(draft)
{
    setObjectName(QStringLiteral("experimentDataBar"));
    m_text = new QLabel(this);
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::RichText);
    m_useOpen = new QPushButton(tr("Train on the Open Dataset"), this);
    m_useOpen->setObjectName(QStringLiteral("useOpenDataset"));
    m_useOpen->setToolTip(tr("Make the dataset shown below the experiment's only training and evaluation data"));
    m_openExperiment = new QPushButton(tr("Open Experiment…"), this);
    auto *row = new QHBoxLayout(this);
    row->setContentsMargins(6, 4, 6, 4);
    row->addWidget(m_text, 1);
    row->addWidget(m_useOpen);
    row->addWidget(m_openExperiment);
    connect(m_useOpen, &QPushButton::clicked, this, [this] {
        if (m_source && m_dataset)
            useDataset(*m_draft, *m_source, *m_dataset);
    });
    connect(m_openExperiment, &QPushButton::clicked, this, &ExperimentDataBar::openExperimentRequested);
    connect(m_draft, &ExperimentDraft::reset, this, &ExperimentDataBar::refresh);
    connect(m_draft, &ExperimentDraft::sectionChanged, this, &ExperimentDataBar::refresh);
    connect(m_draft, &ExperimentDraft::variablesChanged, this, &ExperimentDataBar::refresh);
    refresh();
}

void ExperimentDataBar::setOpenDataset(const data::DatasetSource &source, DatasetPtr dataset)
{
    m_source = dataset ? std::optional(source) : std::nullopt;
    m_dataset = std::move(dataset);
    refresh();
}

QString ExperimentDataBar::text() const
{
    return m_text->text();
}

// Resolving parses the in-memory document (no file is read), cheap enough for the GUI thread.
void ExperimentDataBar::refresh()
{
    m_useOpen->setEnabled(m_dataset != nullptr);
    QString text;
    try {
        const experiment::ExperimentConfig config = m_draft->resolve();
        QStringList parts;
        for (const std::string &name : config.trainDatasets)
            parts << describeSpec(config.dataset(name));
        text = tr("The experiment trains on the %1 split of %2; evaluates on %3.")
                   .arg(QString::fromStdString(config.trainSplit), parts.join(tr(" + ")),
                        QString::fromStdString(config.evalDataset + " " + config.evalSplit).toHtmlEscaped());
    } catch (const std::exception &e) {
        const QStringList missing = m_draft->missingVariables();
        text = missing.isEmpty()
                   ? tr("The experiment's data is not usable yet: %1").arg(QString::fromUtf8(e.what()).toHtmlEscaped())
                   : tr("The experiment reads its data from ${%1}: fill it in on the Train step.")
                         .arg(missing.join(QStringLiteral("}, ${")));
    }
    m_text->setText(text);
}

void ExperimentDataBar::useDataset(ExperimentDraft &draft, const data::DatasetSource &source,
                                   const data::Dataset &dataset)
{
    const bool ownTest = std::any_of(dataset.images.begin(), dataset.images.end(),
                                     [](const data::ImageRecord &r) { return r.split == data::Split::Test; });
    json spec = {{"format", source.format}, {"root", source.root.string()}};
    if (!source.annotations.empty()) {
        json files = json::array();
        for (const auto &a : source.annotations)
            files.push_back(a.string());
        spec["annotations"] = files;
    }
    if (!source.options.empty())
        spec["options"] = source.options;
    if (!ownTest)
        spec["splits"] = {{"method", "per-class-test"}, {"test_per_class", 25}, {"seed", 0}};
    draft.setSection("datasets", json{{"data", spec}});
    draft.setSection("train", json{{"datasets", json::array({"data"})}, {"split", "train"}});
    json evaluation = draft.section("evaluation");
    if (!evaluation.is_object())
        evaluation = json::object();
    evaluation["dataset"] = "data";
    evaluation["split"] = "test";
    evaluation.erase("utility"); // it named a dataset of the old data
    draft.setSection("evaluation", evaluation);
}

} // namespace poisonlab::ui
