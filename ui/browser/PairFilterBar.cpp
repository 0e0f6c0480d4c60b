#include "browser/PairFilterBar.h"

#include "browser/PairFilterProxyModel.h"
#include "browser/PairTableModel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QToolButton>

namespace poisonlab::ui {

PairFilterBar::PairFilterBar(PairFilterProxyModel *proxy, QWidget *parent) : QWidget(parent), m_proxy(proxy)
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(6, 4, 6, 4);

    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("searchField"));
    m_search->setPlaceholderText(tr("Search captions…"));
    m_search->setClearButtonEnabled(true);
    m_search->setMinimumWidth(220);
    layout->addWidget(m_search, 2);

    m_class = new QComboBox(this);
    m_class->setObjectName(QStringLiteral("classFilter"));
    m_class->setToolTip(tr("Pairs whose caption or image belongs to this class"));
    m_class->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    layout->addWidget(m_class);

    m_split = new QComboBox(this);
    m_split->setObjectName(QStringLiteral("splitFilter"));
    layout->addWidget(m_split);

    m_poison = new QComboBox(this);
    m_poison->setObjectName(QStringLiteral("poisonFilter"));
    m_poison->addItem(tr("All pairs"), int(PairFilterProxyModel::Poison::Any));
    m_poison->addItem(tr("Poisoned only"), int(PairFilterProxyModel::Poison::PoisonedOnly));
    m_poison->addItem(tr("Clean only"), int(PairFilterProxyModel::Poison::CleanOnly));
    layout->addWidget(m_poison);

    m_onePerImage = new QCheckBox(tr("One per image"), this);
    m_onePerImage->setObjectName(QStringLiteral("onePerImage"));
    m_onePerImage->setToolTip(tr("Show each image once (with its first matching caption)"));
    layout->addWidget(m_onePerImage);

    // The selection an analysis view sent (embedding map, retrieval explorer), with a way out.
    m_subsetChip = new QWidget(this);
    m_subsetChip->setObjectName(QStringLiteral("subsetChip"));
    auto *chipRow = new QHBoxLayout(m_subsetChip);
    chipRow->setContentsMargins(0, 0, 0, 0);
    m_subsetText = new QLabel(m_subsetChip);
    auto *clearSubset = new QToolButton(m_subsetChip);
    clearSubset->setText(QStringLiteral("\u2715"));
    clearSubset->setToolTip(tr("Show all pairs again"));
    chipRow->addWidget(m_subsetText);
    chipRow->addWidget(clearSubset);
    m_subsetChip->hide();
    layout->addWidget(m_subsetChip);
    connect(clearSubset, &QToolButton::clicked, m_proxy, &PairFilterProxyModel::clearImageSubset);

    m_count = new QLabel(this);
    m_count->setObjectName(QStringLiteral("matchCount"));
    m_count->setMinimumWidth(150);
    m_count->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    layout->addWidget(m_count, 1);

    connect(m_search, &QLineEdit::textChanged, m_proxy, &PairFilterProxyModel::setSearchText);
    connect(m_class, &QComboBox::currentIndexChanged, this,
            [this] { m_proxy->setClassFilter(m_class->currentData().toInt()); });
    connect(m_split, &QComboBox::currentIndexChanged, this,
            [this] { m_proxy->setSplitFilter(m_split->currentData().toInt()); });
    connect(m_poison, &QComboBox::currentIndexChanged, this, [this] {
        m_proxy->setPoisonFilter(static_cast<PairFilterProxyModel::Poison>(m_poison->currentData().toInt()));
    });
    connect(m_onePerImage, &QCheckBox::toggled, m_proxy, &PairFilterProxyModel::setOnePerImage);
    connect(m_proxy, &PairFilterProxyModel::filterApplied, this, &PairFilterBar::updateCount);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &PairFilterBar::updateCount);
    m_onePerImage->setChecked(m_proxy->onePerImage());
    setDataset(nullptr);
}

void PairFilterBar::setDataset(const DatasetPtr &dataset)
{
    m_proxy->clearImageSubset(); // its image indices were the old dataset's
    const QSignalBlocker blockClass(m_class), blockSplit(m_split), blockPoison(m_poison), blockSearch(m_search);
    m_class->clear();
    m_class->addItem(tr("All classes"), -1);
    m_split->clear();
    m_split->addItem(tr("All splits"), -1);
    if (dataset) {
        std::vector<int> perClass(dataset->classes.size(), 0);
        bool present[4] = {false, false, false, false};
        for (const auto &image : dataset->images) {
            if (image.label >= 0 && static_cast<size_t>(image.label) < perClass.size())
                ++perClass[image.label];
            present[static_cast<int>(image.split)] = true;
        }
        for (size_t c = 0; c < dataset->classes.size(); ++c)
            m_class->addItem(
                QStringLiteral("%1 (%2)").arg(QString::fromStdString(dataset->classes[c])).arg(perClass[c]),
                static_cast<int>(c));
        for (data::Split s : {data::Split::Train, data::Split::Val, data::Split::Test, data::Split::None})
            if (present[static_cast<int>(s)])
                m_split->addItem(s == data::Split::None ? tr("no split") : QString::fromLatin1(data::splitName(s)),
                                 static_cast<int>(s));
    }
    m_poison->setCurrentIndex(0);
    m_search->clear();
    m_proxy->setClassFilter(-1);
    m_proxy->setSplitFilter(-1);
    m_proxy->setPoisonFilter(PairFilterProxyModel::Poison::Any);
    m_proxy->applySearchText(QString());
    setEnabled(dataset != nullptr);
    updateCount();
}

void PairFilterBar::selectClass(int cls)
{
    const int at = m_class->findData(cls);
    if (at >= 0)
        m_class->setCurrentIndex(at);
}

void PairFilterBar::updateCount()
{
    m_subsetChip->setVisible(m_proxy->hasImageSubset());
    if (m_proxy->hasImageSubset())
        m_subsetText->setText(tr("<b>Selection:</b> %1 images%2")
                                  .arg(m_proxy->imageSubsetSize())
                                  .arg(m_proxy->imageSubsetDescription().isEmpty()
                                           ? QString()
                                           : tr(" from %1").arg(m_proxy->imageSubsetDescription().toHtmlEscaped())));
    const PairTableModel *pairs = m_proxy->pairModel();
    const int total = pairs ? pairs->rowCount() : 0;
    const int shown = m_proxy->rowCount();
    const QLocale locale;
    if (!pairs || !pairs->dataset())
        m_count->setText(tr("No dataset"));
    else if (m_proxy->onePerImage())
        m_count->setText(tr("%1 images (of %2 pairs)").arg(locale.toString(shown), locale.toString(total)));
    else if (shown == total)
        m_count->setText(tr("%1 pairs").arg(locale.toString(total)));
    else
        m_count->setText(tr("%1 of %2 pairs").arg(locale.toString(shown), locale.toString(total)));
}

} // namespace poisonlab::ui
