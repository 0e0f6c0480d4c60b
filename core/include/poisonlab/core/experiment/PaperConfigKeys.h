#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace poisonlab::experiment {

/// Rewrites the keys of the paper code's YAML configs (and its poisoning script's arguments),
/// given as JSON at the top level of an experiment file, into PoisonLab's sections:
///   poisoned_ratio -> attack.options.rate, target_txt_cls -> .source, target_img_cls -> .target,
///   batch_size_train -> training.batchSize, batch_size_test -> evaluation.options.batchSize,
///   optimizer.{lr, weight_decay} -> training.{learningRate, weightDecay},
///   schedular|scheduler.{lr, epochs, min_lr} -> training.{learningRate, epochs, minLearningRate},
///   train_file / test_file / image_root -> datasets "paper-train" / "paper-test" (format paper-json).
/// Paper keys with no equivalent (image_res, queue_size, k_test...) are removed and listed in
/// `ignored`; an "opt" other than adamW or a "sched" other than cosine throws poisonlab::Error
/// (naming the key, not the file: the caller knows which file it read).
/// Keys that are neither PoisonLab's nor the paper's are left for the strict reader to reject.
nlohmann::json translatePaperKeys(const nlohmann::json &config, std::vector<std::string> *ignored = nullptr);

} // namespace poisonlab::experiment
