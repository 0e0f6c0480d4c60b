#include "dataset/DatasetSummary.h"

#include <QCoreApplication>
#include <QLocale>

#include <algorithm>

namespace poisonlab::ui {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("poisonlab::ui::DatasetSummary", text);
}

} // namespace

QString DatasetSummary::name(const data::Dataset &dataset)
{
    return dataset.name.empty() ? QString::fromStdString(dataset.root.filename().string())
                                : QString::fromStdString(dataset.name);
}

QString DatasetSummary::describe(const data::Dataset &dataset)
{
    const QLocale locale;
    const size_t poisoned = std::count_if(dataset.captions.begin(), dataset.captions.end(),
                                          [](const data::CaptionRecord &c) { return c.poisoned; });
    QString summary = tr("%1 (%2): %3 images, %4 pairs, %5 classes")
                          .arg(name(dataset), QString::fromStdString(dataset.format),
                               locale.toString(qulonglong(dataset.images.size())),
                               locale.toString(qulonglong(dataset.captions.size())))
                          .arg(dataset.classes.size());
    if (poisoned > 0)
        summary += tr(", %1 poisoned").arg(locale.toString(qulonglong(poisoned)));
    const size_t skipped = dataset.skipped.size();
    if (skipped > 0)
        summary += tr(" — %1 skipped (see Skipped items)").arg(locale.toString(qulonglong(skipped)));
    return summary;
}

} // namespace poisonlab::ui
