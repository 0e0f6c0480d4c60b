#include "browser/PairFilterProxyModel.h"

#include "browser/PairTableModel.h"

#include <QRegularExpression>

#include <algorithm>

namespace poisonlab::ui {

namespace {

char asciiLower(char c)
{
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool containsAsciiFolded(const std::string &haystack, const std::string &lowerNeedle)
{
    auto it = std::search(haystack.begin(), haystack.end(), lowerNeedle.begin(), lowerNeedle.end(),
                          [](char h, char n) { return asciiLower(h) == n; });
    return it != haystack.end();
}

} // namespace

PairFilterProxyModel::PairFilterProxyModel(QObject *parent) : QSortFilterProxyModel(parent)
{
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(200);
    connect(&m_debounce, &QTimer::timeout, this, [this] { applySearchText(m_pendingSearch); });
    setSortRole(Qt::DisplayRole);
}

void PairFilterProxyModel::setSourceModel(QAbstractItemModel *model)
{
    m_pairs = qobject_cast<PairTableModel *>(model);
    QSortFilterProxyModel::setSourceModel(model);
}

void PairFilterProxyModel::setImageSubset(const QList<int> &images, const QString &description)
{
    m_subset.clear();
    m_subsetSize = 0;
    m_subsetDescription = images.isEmpty() ? QString() : description;
    const size_t count = m_pairs && m_pairs->dataset() ? m_pairs->dataset()->images.size() : 0;
    if (!images.isEmpty() && count > 0) {
        m_subset.assign(count, 0);
        for (int image : images)
            if (image >= 0 && static_cast<size_t>(image) < count && !m_subset[image]) {
                m_subset[image] = 1;
                ++m_subsetSize;
            }
        if (m_subsetSize == 0)
            m_subset.clear(); // none of them is in this dataset: nothing to narrow to
    }
    refilter();
}

void PairFilterProxyModel::refilter()
{
    invalidateFilter();
    Q_EMIT filterApplied();
}

void PairFilterProxyModel::setClassFilter(int cls)
{
    if (cls == m_class)
        return;
    m_class = cls;
    refilter();
}

void PairFilterProxyModel::setSplitFilter(int split)
{
    if (split == m_split)
        return;
    m_split = split;
    refilter();
}

void PairFilterProxyModel::setPoisonFilter(Poison poison)
{
    if (poison == m_poison)
        return;
    m_poison = poison;
    refilter();
}

void PairFilterProxyModel::setOnePerImage(bool on)
{
    if (on == m_onePerImage)
        return;
    m_onePerImage = on;
    refilter();
}

void PairFilterProxyModel::setSearchText(const QString &text)
{
    m_pendingSearch = text;
    m_debounce.start();
}

void PairFilterProxyModel::applySearchText(const QString &text)
{
    m_debounce.stop();
    m_pendingSearch = text;
    const QString trimmed = text.simplified();
    if (trimmed == m_searchText)
        return;
    m_searchText = trimmed;
    m_asciiTerms.clear();
    m_unicodeTerms.clear();
    for (const QString &term : trimmed.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        const QString lower = term.toLower();
        bool ascii = std::all_of(lower.begin(), lower.end(), [](QChar c) { return c.unicode() < 128; });
        if (ascii)
            m_asciiTerms.push_back(lower.toStdString());
        else
            m_unicodeTerms << term;
    }
    refilter();
}

bool PairFilterProxyModel::captionMatches(int caption) const
{
    if (!m_pairs || !m_pairs->dataset())
        return false;
    const auto &dataset = *m_pairs->dataset();
    if (caption < 0 || static_cast<size_t>(caption) >= dataset.captions.size())
        return false;
    const auto &pair = dataset.captions[caption];
    if (m_poison == Poison::PoisonedOnly && !pair.poisoned)
        return false;
    if (m_poison == Poison::CleanOnly && pair.poisoned)
        return false;
    const bool imageKnown = pair.image >= 0 && static_cast<size_t>(pair.image) < dataset.images.size();
    if (!m_subset.empty() &&
        (!imageKnown || static_cast<size_t>(pair.image) >= m_subset.size() || !m_subset[pair.image]))
        return false;
    if (m_split >= 0 && (!imageKnown || static_cast<int>(dataset.images[pair.image].split) != m_split))
        return false;
    if (m_class >= 0) {
        const int imageLabel = imageKnown ? dataset.images[pair.image].label : -1;
        if (imageLabel != m_class && m_pairs->captionClass(caption) != m_class)
            return false;
    }
    for (const auto &term : m_asciiTerms)
        if (!containsAsciiFolded(pair.text, term))
            return false;
    if (!m_unicodeTerms.isEmpty()) {
        const QString text = QString::fromStdString(pair.text);
        for (const QString &term : m_unicodeTerms)
            if (!text.contains(term, Qt::CaseInsensitive))
                return false;
    }
    return true;
}

bool PairFilterProxyModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (sourceParent.isValid() || !captionMatches(sourceRow))
        return false;
    if (!m_onePerImage)
        return true;
    // Keep the first matching caption of this image only.
    const int image = m_pairs->dataset()->captions[sourceRow].image;
    for (int other : m_pairs->captionsOfImage(image)) {
        if (other >= sourceRow)
            break;
        if (captionMatches(other))
            return false;
    }
    return true;
}

bool PairFilterProxyModel::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    if (!m_pairs || !m_pairs->dataset())
        return QSortFilterProxyModel::lessThan(left, right);
    const auto &dataset = *m_pairs->dataset();
    const auto &a = dataset.captions[left.row()];
    const auto &b = dataset.captions[right.row()];
    auto imageOf = [&](const data::CaptionRecord &c) -> const data::ImageRecord * {
        return c.image >= 0 && static_cast<size_t>(c.image) < dataset.images.size() ? &dataset.images[c.image]
                                                                                    : nullptr;
    };
    const auto *ia = imageOf(a);
    const auto *ib = imageOf(b);
    switch (left.column()) {
    case PairTableModel::ImageColumn:
        return (ia ? ia->path : std::string()) < (ib ? ib->path : std::string());
    case PairTableModel::CaptionColumn:
        return a.text < b.text;
    case PairTableModel::ClassColumn:
        return m_pairs->className(m_pairs->captionClass(left.row())) <
               m_pairs->className(m_pairs->captionClass(right.row()));
    case PairTableModel::SplitColumn:
        return (ia ? int(ia->split) : -1) < (ib ? int(ib->split) : -1);
    case PairTableModel::PoisonedColumn:
        return a.poisoned < b.poisoned;
    }
    return left.row() < right.row();
}

} // namespace poisonlab::ui
