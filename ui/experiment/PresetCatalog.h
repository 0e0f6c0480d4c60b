#pragma once

#include <QList>
#include <QString>

namespace poisonlab::ui {

/// An experiment preset shipped with PoisonLab (resources/presets/<name>.json).
struct Preset {
    QString name;        ///< file name without .json
    QString path;        ///< absolute
    QString description; ///< the config's "description"
};

/// Finds the shipped experiment presets and sensible values for their `${data}` and `${model}`
/// variables, the same way `poisonlab-cli demo` does: $POISONLAB_PRESETS_DIR, then
/// <exe>/../share/poisonlab/presets (installed), then <exe>/../../resources/presets (build tree).
class PresetCatalog {
public:
    static QString presetsDir(); ///< empty when none is found
    /// Runnable presets (experiments; the pre-training recipe is left out), sorted by name.
    static QList<Preset> presets(const QString &dir = presetsDir());
    /// The demo data folder (holding pascal/, coco/): beside the build tree or the current folder.
    static QString defaultDataDir();
    /// The pre-trained demo CLIP in the user data dir (models/*/clip.safetensors), or empty.
    static QString defaultModelPath();
};

} // namespace poisonlab::ui
