#include "experiment/ExperimentFileActions.h"

#include "experiment/ExperimentDraft.h"
#include "experiment/PresetCatalog.h"
#include "poisonlab/core/experiment/ExperimentConfig.h"

#include <QAction>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>

namespace poisonlab::ui {

ExperimentFileActions::ExperimentFileActions(ExperimentDraft *draft, QWidget *dialogParent)
    : QObject(dialogParent), m_draft(draft), m_parent(dialogParent)
{
    m_presets = new QMenu(tr("New Experiment from &Preset"), dialogParent);
    for (const Preset &preset : PresetCatalog::presets()) {
        QAction *action = m_presets->addAction(preset.name);
        action->setStatusTip(preset.description);
        action->setToolTip(preset.description);
        connect(action, &QAction::triggered, this, [this, name = preset.name] { loadPreset(name); });
    }
    m_presets->setToolTipsVisible(true);
    m_presets->setEnabled(!m_presets->isEmpty());

    m_open = new QAction(tr("Open &Experiment…"), this);
    m_open->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_O));
    m_open->setStatusTip(
        tr("Load an experiment config (any file `poisonlab-cli run` reads) into the Attack and Train steps"));
    connect(m_open, &QAction::triggered, this, &ExperimentFileActions::chooseFile);
    m_save = new QAction(tr("&Save Experiment"), this);
    m_save->setShortcut(QKeySequence::Save);
    m_save->setStatusTip(tr("Write the experiment config that `poisonlab-cli run` runs unchanged"));
    connect(m_save, &QAction::triggered, this, &ExperimentFileActions::save);
    m_saveAs = new QAction(tr("Save Experiment &As…"), this);
    m_saveAs->setShortcut(QKeySequence::SaveAs);
    connect(m_saveAs, &QAction::triggered, this, &ExperimentFileActions::saveAs);
}

bool ExperimentFileActions::loadPreset(const QString &name)
{
    for (const Preset &preset : PresetCatalog::presets()) {
        if (preset.name != name)
            continue;
        ExperimentDraft scratch;
        if (!scratch.load(preset.path, &m_error)) {
            Q_EMIT failed(tr("Could not read the preset"), m_error);
            return false;
        }
        m_presetName = name;
        m_draft->setDocument(scratch.document()); // untitled: Save asks where
        Q_EMIT opened(displayName());
        return true;
    }
    m_error = tr("No preset named %1").arg(name);
    return false;
}

bool ExperimentFileActions::open(const QString &path)
{
    ExperimentDraft scratch;
    if (!scratch.load(path, &m_error) || !checkConfig(scratch, &m_error)) {
        Q_EMIT failed(tr("Could not open the experiment"), m_error);
        return false; // the draft stays as it was
    }
    m_draft->setDocument(scratch.document(), scratch.file());
    m_presetName.clear();
    Q_EMIT opened(displayName());
    return true;
}

// What core would refuse (an unknown or mistyped key, a bad value) is refused on opening, naming
// the file and the key; a ${variable} not filled yet is not an error here (the Train step asks
// for it), so each one stands in as a placeholder path while checking.
bool ExperimentFileActions::checkConfig(const ExperimentDraft &draft, QString *error)
{
    ExperimentDraft probe;
    probe.setDocument(draft.document(), draft.file());
    for (const QString &name : draft.variableNames())
        probe.setVariable(name, QStringLiteral("/unset-variable-") + name);
    try {
        probe.resolve();
        return true;
    } catch (const std::exception &e) {
        *error = QString::fromUtf8(e.what());
        return false;
    }
}

bool ExperimentFileActions::saveTo(const QString &path)
{
    if (!m_draft->save(path, &m_error)) {
        Q_EMIT failed(tr("Could not save the experiment"), m_error);
        return false;
    }
    m_presetName.clear();
    Q_EMIT saved(m_draft->file());
    return true;
}

QString ExperimentFileActions::displayName() const
{
    if (!m_draft->file().isEmpty())
        return QFileInfo(m_draft->file()).fileName();
    return m_presetName.isEmpty() ? tr("untitled experiment") : tr("untitled (from %1)").arg(m_presetName);
}

void ExperimentFileActions::chooseFile()
{
    const QString start = m_draft->file().isEmpty() ? PresetCatalog::presetsDir() : QFileInfo(m_draft->file()).path();
    const QString path =
        QFileDialog::getOpenFileName(m_parent, tr("Open Experiment"), start, tr("Experiment configs (*.json)"));
    if (!path.isEmpty())
        open(path);
}

void ExperimentFileActions::save()
{
    if (m_draft->file().isEmpty())
        saveAs();
    else
        saveTo(m_draft->file());
}

void ExperimentFileActions::saveAs()
{
    QString suggestion = m_draft->file();
    if (suggestion.isEmpty()) {
        const nlohmann::json name = m_draft->section("name");
        suggestion = QDir::current().absoluteFilePath(
            (name.is_string() ? QString::fromStdString(name.get<std::string>()) : QStringLiteral("experiment")) +
            QStringLiteral(".json"));
    }
    const QString path =
        QFileDialog::getSaveFileName(m_parent, tr("Save Experiment"), suggestion, tr("Experiment configs (*.json)"));
    if (!path.isEmpty())
        saveTo(path);
}

} // namespace poisonlab::ui
