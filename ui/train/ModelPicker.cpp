#include "train/ModelPicker.h"

#include "experiment/PresetCatalog.h"
#include "jobs/JobRunner.h"
#include "poisonlab/core/clip/ClipDescription.h"
#include "poisonlab/core/clip/ClipWeights.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPalette>
#include <QPushButton>

namespace poisonlab::ui {

namespace {

QString joinLines(const std::vector<std::string> &lines)
{
    QStringList out;
    for (const std::string &line : lines)
        out << QString::fromStdString(line);
    return out.join(QLatin1Char('\n'));
}

} // namespace

ModelPicker::ModelPicker(QWidget *parent) : QWidget(parent), m_runner(new JobRunner(QStringLiteral("Model"), this))
{
    m_path = new QLineEdit(this);
    m_path->setObjectName(QStringLiteral("modelPath"));
    m_path->setReadOnly(true);
    m_path->setFocusPolicy(Qt::ClickFocus); // not the panel's first stop: it is only read
    m_path->setPlaceholderText(tr("no starting weights chosen"));
    m_demo = new QPushButton(tr("Demo CLIP"), this);
    m_demo->setToolTip(tr("The small CLIP pre-trained on the demo data (made once by `poisonlab-cli demo`)"));
    m_file = new QPushButton(tr("File…"), this);
    m_file->setToolTip(tr("CLIP weights in a file: an OpenAI TorchScript archive (.pt) or .safetensors"));
    m_folder = new QPushButton(tr("Folder…"), this);
    m_folder->setToolTip(tr("A Hugging Face CLIPModel folder (config.json, model.safetensors, vocab.json, "
                            "merges.txt)"));
    m_info = new QLabel(this);
    m_info->setObjectName(QStringLiteral("modelDescription"));
    m_info->setWordWrap(true);
    m_info->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->addWidget(m_path, 0, 0);
    grid->addWidget(m_demo, 0, 1);
    grid->addWidget(m_file, 0, 2);
    grid->addWidget(m_folder, 0, 3);
    grid->addWidget(m_info, 1, 0, 1, 4);
    grid->setColumnStretch(0, 1);

    connect(m_demo, &QPushButton::clicked, this, [this] {
        const QString demo = PresetCatalog::defaultModelPath();
        if (demo.isEmpty())
            showText(tr("No demo CLIP found: run `poisonlab-cli demo` once to make it."), true);
        else
            choose(demo, true);
    });
    connect(m_file, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Starting CLIP weights"), m_path->text(),
                                                          tr("CLIP weights (*.pt *.safetensors);;All files (*)"));
        if (!path.isEmpty())
            choose(path, false);
    });
    connect(m_folder, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Hugging Face CLIP folder"), m_path->text());
        if (!dir.isEmpty())
            choose(dir, false);
    });
    connect(m_runner, &JobRunner::finished, this,
            [this](quint64, const QVariant &text, double) { showText(text.toString(), false); });
    connect(m_runner, &JobRunner::failed, this, [this](quint64, const QString &message, const QString &file) {
        QString text = tr("These weights do not load as a CLIP: %1").arg(message);
        if (!file.isEmpty() && !message.contains(file))
            text += QLatin1Char('\n') + tr("File: %1").arg(file);
        showText(text, true);
    });
}

ModelPicker::~ModelPicker()
{
    delete m_runner; // cancels a load in progress and waits, before this widget goes
}

void ModelPicker::choose(const QString &path, bool demo)
{
    showWeights(path);
    Q_EMIT chosen(path, demo);
}

void ModelPicker::showWeights(const QString &path)
{
    m_path->setText(path);
    m_path->setToolTip(path);
    if (path.isEmpty()) {
        m_runner->cancel();
        showText(tr("Choose the starting weights: the demo CLIP, a file or a folder."), true);
        return;
    }
    if (!QFileInfo::exists(path)) {
        m_runner->cancel();
        showText(tr("%1: no such file or folder").arg(path), true);
        return;
    }
    m_error.clear();
    m_info->setText(tr("Reading %1…").arg(QFileInfo(path).fileName()));
    JobOptions options;
    options.contextFile = path;
    // Loading a ViT-B/32 takes a second or two: never on the GUI thread.
    m_runner->start(
        [path](ProgressReporter &) {
            const clip::LoadedClip clip = clip::loadClip(path.toStdString());
            return QVariant(joinLines(clip::describeModel(clip).lines()));
        },
        options);
}

void ModelPicker::showNewModel(const nlohmann::json &section)
{
    m_runner->cancel();
    m_path->clear();
    m_path->setPlaceholderText(tr("a new model with random weights (the experiment's \"model\" config)"));
    try {
        clip::ClipConfig config;
        if (section.contains("config") && section["config"].is_object())
            config = clip::ClipConfig::fromJson(section["config"]);
        else
            config = clip::ClipConfig::preset(section.value("architecture", std::string("demo-tiny")));
        showText(joinLines(clip::describeConfig(config).lines()), false);
    } catch (const std::exception &e) {
        showText(tr("The experiment's model config does not build a CLIP: %1").arg(QString::fromUtf8(e.what())), true);
    }
}

QString ModelPicker::weightsPath() const
{
    return m_path->text();
}

QString ModelPicker::description() const
{
    return m_error.isEmpty() && !isLoading() ? m_info->text() : QString();
}

QString ModelPicker::error() const
{
    return m_error;
}

bool ModelPicker::isLoading() const
{
    return m_runner->isBusy();
}

void ModelPicker::showText(const QString &text, bool error)
{
    m_error = error ? text : QString();
    m_info->setText(text);
    QPalette pal = palette();
    if (error)
        pal.setColor(QPalette::WindowText, QColor(0xc6, 0x28, 0x28)); // error red, readable on light and dark
    m_info->setPalette(pal);
    Q_EMIT described(!error);
}

} // namespace poisonlab::ui
