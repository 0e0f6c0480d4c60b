#include "experiment/PresetCatalog.h"

#include "poisonlab/core/Paths.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

namespace poisonlab::ui {

namespace {

QString fromPath(const std::filesystem::path &p)
{
    return QString::fromStdString(p.string());
}

} // namespace

QString PresetCatalog::presetsDir()
{
    QStringList candidates;
    const QString env = qEnvironmentVariable("POISONLAB_PRESETS_DIR");
    if (!env.isEmpty())
        candidates << env;
    const QString exe = fromPath(executableDir());
    candidates << exe + QStringLiteral("/../share/poisonlab/presets")
               << exe + QStringLiteral("/../../resources/presets");
    for (const QString &c : candidates)
        if (QFileInfo(c + QStringLiteral("/demo-attack2.json")).isFile())
            return QDir(c).canonicalPath();
    return {};
}

QList<Preset> PresetCatalog::presets(const QString &dir)
{
    QList<Preset> out;
    if (dir.isEmpty())
        return out;
    const QDir folder(dir);
    for (const QFileInfo &info : folder.entryInfoList({QStringLiteral("*.json")}, QDir::Files, QDir::Name)) {
        QFile file(info.absoluteFilePath());
        if (!file.open(QIODevice::ReadOnly))
            continue;
        const QJsonObject config = QJsonDocument::fromJson(file.readAll()).object();
        if (!config.contains(QStringLiteral("datasets"))) // demo-pretrain.json is a recipe, not an experiment
            continue;
        out.append(
            {info.completeBaseName(), info.absoluteFilePath(), config.value(QStringLiteral("description")).toString()});
    }
    return out;
}

QString PresetCatalog::defaultDataDir()
{
    const QString exe = fromPath(executableDir());
    for (const QString &c :
         {exe + QStringLiteral("/../../demo-data"), QDir::currentPath() + QStringLiteral("/demo-data")})
        if (QFileInfo(c + QStringLiteral("/pascal")).isDir())
            return QDir(c).canonicalPath();
    return QDir::currentPath() + QStringLiteral("/demo-data");
}

QString PresetCatalog::defaultModelPath()
{
    const QDir models(fromPath(userDataDir() / "models"));
    for (const QString &sub : models.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        const QString candidate = models.filePath(sub + QStringLiteral("/clip.safetensors"));
        if (QFileInfo(candidate).isFile())
            return candidate;
    }
    return {};
}

} // namespace poisonlab::ui
