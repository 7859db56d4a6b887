/**
 * Well-known datasets as data: sample shape (C, H, W for images as the default transforms give them),
 * split sizes and targets. Sources: torchvision dataset docs and the datasets' own pages.
 */
export interface DatasetInfo {
  name: string;
  /** Aliases as written in code (`torchvision.datasets.CIFAR10`, `load_dataset("cifar10")`). */
  aliases: string[];
  /** Shape of one input sample after `ToTensor()` (images: C, H, W; tokens: sequence). */
  shape: number[];
  train: number;
  test?: number;
  target: 'class' | 'tokens' | 'mask' | 'image';
  targetShape?: number[];
  classes?: number;
  /** Bytes per element as stored before conversion (uint8 images: 1). Used for host→device traffic after ToTensor (float32 = 4). */
  bytesPerElement?: number;
  /** Token datasets: tokens in the training split (words for WikiText/PTB, characters for tiny Shakespeare, GPT-2 BPE for OpenWebText). */
  trainTokens?: number;
  /** Token datasets: the vocabulary of the standard preprocessing (words, or characters for tiny Shakespeare). */
  vocab?: number;
  /** Every split together, when a script can load them as one (`split='all'`). */
  all?: number;
  /** Other splits a script can name (`split='unlabeled'`), by the name the loader takes, with their sizes. */
  splits?: Record<string, number>;
  /**
   * Image files in each sub-folder of the dataset's usual download layout, by the path under the dataset's folder
   * (`trainA`, `train/A`, `images/test`): what a script listing a folder (`glob.glob(root + '/train/*.*')`) finds there.
   */
  folders?: Record<string, number>;
  /** Audio datasets: the files' sample rate in Hz; `shape` is then the waveform [channels, samples] a file holds. */
  sampleRate?: number;
  source: string;
}

export const DATASETS: DatasetInfo[] = [
  { name: 'MNIST', aliases: ['mnist'], shape: [1, 28, 28], train: 60_000, test: 10_000, target: 'class', classes: 10, bytesPerElement: 4, source: 'http://yann.lecun.com/exdb/mnist/ ; torchvision.datasets.MNIST' },
  { name: 'FashionMNIST', aliases: ['fashionmnist', 'fashion_mnist'], shape: [1, 28, 28], train: 60_000, test: 10_000, target: 'class', classes: 10, bytesPerElement: 4, source: 'https://github.com/zalandoresearch/fashion-mnist' },
  { name: 'KMNIST', aliases: ['kmnist'], shape: [1, 28, 28], train: 60_000, test: 10_000, target: 'class', classes: 10, bytesPerElement: 4, source: 'torchvision.datasets.KMNIST' },
  { name: 'EMNIST', aliases: ['emnist'], shape: [1, 28, 28], train: 112_800, test: 18_800, target: 'class', classes: 47, bytesPerElement: 4, source: 'torchvision.datasets.EMNIST (balanced split)' },
  { name: 'QMNIST', aliases: ['qmnist'], shape: [1, 28, 28], train: 60_000, test: 60_000, target: 'class', classes: 10, bytesPerElement: 4, source: 'torchvision.datasets.QMNIST' },
  { name: 'CIFAR-10', aliases: ['cifar10', 'cifar-10', 'uoft-cs/cifar10'], shape: [3, 32, 32], train: 50_000, test: 10_000, target: 'class', classes: 10, bytesPerElement: 4, source: 'https://www.cs.toronto.edu/~kriz/cifar.html' },
  { name: 'CIFAR-100', aliases: ['cifar100', 'cifar-100', 'uoft-cs/cifar100'], shape: [3, 32, 32], train: 50_000, test: 10_000, target: 'class', classes: 100, bytesPerElement: 4, source: 'https://www.cs.toronto.edu/~kriz/cifar.html' },
  { name: 'SVHN', aliases: ['svhn'], shape: [3, 32, 32], train: 73_257, test: 26_032, splits: { extra: 531_131 }, target: 'class', classes: 10, bytesPerElement: 4, source: 'http://ufldl.stanford.edu/housenumbers/ (73,257 train, 26,032 test, 531,131 extra digits)' },
  { name: 'STL-10', aliases: ['stl10', 'stl-10'], shape: [3, 96, 96], train: 5_000, test: 8_000, splits: { unlabeled: 100_000, 'train+unlabeled': 105_000 }, target: 'class', classes: 10, bytesPerElement: 4, source: 'https://cs.stanford.edu/~acoates/stl10/ (500 train and 800 test images per class, 100,000 unlabeled); torchvision.datasets.STL10 splits' },
  { name: 'ImageNet-1k', aliases: ['imagenet', 'imagenet1k', 'imagenet-1k', 'ilsvrc2012', 'imagenet_1k', 'ilsvrc', 'ilsvrc-2012', 'imagenet-2012'], shape: [3, 224, 224], train: 1_281_167, test: 50_000, target: 'class', classes: 1000, bytesPerElement: 4, source: 'https://image-net.org/challenges/LSVRC/2012/ (train 1,281,167, val 50,000)' },
  { name: 'Food-101', aliases: ['food101', 'food-101'], shape: [3, 224, 224], train: 75_750, test: 25_250, target: 'class', classes: 101, bytesPerElement: 4, source: 'https://data.vision.ee.ethz.ch/cvl/datasets_extra/food-101/' },
  { name: 'Oxford-IIIT Pet', aliases: ['oxfordiiitpet', 'oxford_iiit_pet', 'pets'], shape: [3, 224, 224], train: 3_680, test: 3_669, target: 'class', classes: 37, bytesPerElement: 4, source: 'https://www.robots.ox.ac.uk/~vgg/data/pets/' },
  { name: 'Flowers-102', aliases: ['flowers102', 'oxford_flowers102'], shape: [3, 224, 224], train: 1_020, test: 6_149, target: 'class', classes: 102, bytesPerElement: 4, source: 'https://www.robots.ox.ac.uk/~vgg/data/flowers/102/' },
  { name: 'Caltech-101', aliases: ['caltech101'], shape: [3, 224, 224], train: 8_677, target: 'class', classes: 101, bytesPerElement: 4, source: 'torchvision.datasets.Caltech101' },
  { name: 'Places365', aliases: ['places365'], shape: [3, 224, 224], train: 1_803_460, test: 36_500, target: 'class', classes: 365, bytesPerElement: 4, source: 'http://places2.csail.mit.edu/' },
  { name: 'CelebA', aliases: ['celeba', 'img_align_celeba'], shape: [3, 218, 178], train: 162_770, test: 19_962, all: 202_599, target: 'class', classes: 40, bytesPerElement: 4, source: 'https://mmlab.ie.cuhk.edu.hk/projects/CelebA.html (202,599 images: train 162,770 / val 19,867 / test 19,962, list_eval_partition.txt)' },
  { name: 'GTSRB', aliases: ['gtsrb'], shape: [3, 48, 48], train: 26_640, test: 12_630, target: 'class', classes: 43, bytesPerElement: 4, source: 'torchvision.datasets.GTSRB (train 26,640 / test 12,630; images 15–250 px, usually resized)' },
  { name: 'EuroSAT', aliases: ['eurosat'], shape: [3, 64, 64], train: 27_000, target: 'class', classes: 10, bytesPerElement: 4, source: 'https://github.com/phelber/EuroSAT' },
  { name: 'SPEECHCOMMANDS', aliases: ['speechcommands', 'speech_commands', 'google/speech_commands'], shape: [1, 16_000], train: 84_843, test: 11_005, target: 'class', classes: 35, bytesPerElement: 4, sampleRate: 16_000, source: 'torchaudio.datasets.SPEECHCOMMANDS v0.02 (1 s at 16 kHz; training 84,843 / validation 9,981 / testing 11,005 via validation_list.txt and testing_list.txt)' },
  { name: 'UrbanSound8K', aliases: ['urbansound8k', 'urbansound', 'urban_sound_8k', 'urbansound-8k'], shape: [2, 176_400], train: 8_732, target: 'class', classes: 10, bytesPerElement: 4, sampleRate: 44_100, source: 'https://urbansounddataset.weebly.com/urbansound8k.html (8,732 excerpts of at most 4 s, 10 classes in 10 folds, metadata/UrbanSound8K.csv; rate and channels are those of the Freesound originals, most often stereo 44.1 kHz)' },
  { name: 'ESC-50', aliases: ['esc50', 'esc-50', 'ashraq/esc50'], shape: [1, 220_500], train: 2_000, target: 'class', classes: 50, bytesPerElement: 4, sampleRate: 44_100, source: 'https://github.com/karolpiczak/ESC-50 (2,000 clips of 5 s, mono 44.1 kHz, 50 classes in 5 folds, meta/esc50.csv)' },
  { name: 'GTZAN', aliases: ['gtzan', 'marsyas/gtzan'], shape: [1, 661_500], train: 1_000, target: 'class', classes: 10, bytesPerElement: 4, sampleRate: 22_050, source: 'torchaudio.datasets.GTZAN; http://marsyas.info/index.html (1,000 tracks of 30 s, mono 22,050 Hz, 10 genres)' },
  { name: 'USPS', aliases: ['usps'], shape: [1, 16, 16], train: 7_291, test: 2_007, target: 'class', classes: 10, bytesPerElement: 4, source: 'torchvision.datasets.USPS' },
  { name: 'Omniglot', aliases: ['omniglot'], shape: [1, 105, 105], train: 19_280, test: 13_180, target: 'class', classes: 964, bytesPerElement: 4, source: 'https://github.com/brendenlake/omniglot (background 19,280 / evaluation 13,180)' },
  { name: 'PCAM', aliases: ['pcam', 'patchcamelyon'], shape: [3, 96, 96], train: 262_144, test: 32_768, target: 'class', classes: 2, bytesPerElement: 4, source: 'https://github.com/basveeling/pcam' },
  { name: 'DTD', aliases: ['dtd'], shape: [3, 224, 224], train: 1_880, test: 1_880, target: 'class', classes: 47, bytesPerElement: 4, source: 'https://www.robots.ox.ac.uk/~vgg/data/dtd/' },
  { name: 'FGVC-Aircraft', aliases: ['fgvcaircraft'], shape: [3, 224, 224], train: 3_334, test: 3_333, target: 'class', classes: 100, bytesPerElement: 4, source: 'https://www.robots.ox.ac.uk/~vgg/data/fgvc-aircraft/' },
  { name: 'Stanford Cars', aliases: ['stanfordcars'], shape: [3, 224, 224], train: 8_144, test: 8_041, target: 'class', classes: 196, bytesPerElement: 4, source: 'https://ai.stanford.edu/~jkrause/cars/car_dataset.html' },
  { name: 'Imagenette', aliases: ['imagenette'], shape: [3, 224, 224], train: 9_469, test: 3_925, target: 'class', classes: 10, bytesPerElement: 4, source: 'https://github.com/fastai/imagenette' },
  { name: 'Tiny ImageNet', aliases: ['tinyimagenet', 'tiny-imagenet', 'zh-plus/tiny-imagenet'], shape: [3, 64, 64], train: 100_000, test: 10_000, target: 'class', classes: 200, bytesPerElement: 4, source: 'http://cs231n.stanford.edu/tiny-imagenet-200.zip' },
  { name: 'COCO 2017', aliases: ['cocodetection', 'coco', 'coco2017', 'train2017'], shape: [3, 640, 640], train: 118_287, test: 5_000, target: 'mask', bytesPerElement: 4, source: 'https://cocodataset.org' },
  { name: 'VOC 2012 segmentation', aliases: ['vocsegmentation', 'voc'], shape: [3, 512, 512], train: 1_464, test: 1_449, target: 'mask', targetShape: [512, 512], bytesPerElement: 4, source: 'http://host.robots.ox.ac.uk/pascal/VOC/voc2012/' },
  { name: 'Cityscapes', aliases: ['cityscapes'], shape: [3, 1024, 2048], train: 2_975, test: 500, target: 'mask', targetShape: [1024, 2048], bytesPerElement: 4, source: 'https://www.cityscapes-dataset.com' },
  { name: 'facades', aliases: ['facades', 'cmp_facades'], shape: [3, 256, 256], train: 400, test: 106, target: 'image', bytesPerElement: 4, folders: { train: 400, val: 100, test: 106 }, source: 'pix2pix facades (CMP Facade Database), https://github.com/phillipi/pix2pix: train 400 / val 100 / test 106 image pairs' },
  { name: 'monet2photo', aliases: ['monet2photo'], shape: [3, 256, 256], train: 6_287, test: 751, target: 'image', bytesPerElement: 4, folders: { trainA: 1_072, trainB: 6_287, testA: 121, testB: 751, 'train/A': 1_072, 'train/B': 6_287, 'test/A': 121, 'test/B': 751 }, source: 'CycleGAN monet2photo, https://github.com/junyanz/pytorch-CycleGAN-and-pix2pix: trainA 1,072 Monet paintings / trainB 6,287 photos (an unaligned loader\'s epoch is the larger, 6,287); testA 121 / testB 751' },
  { name: 'BSDS300', aliases: ['bsds300', 'bsd300', 'bsds'], shape: [3, 321, 481], train: 200, test: 100, target: 'image', bytesPerElement: 4, folders: { 'images/train': 200, 'images/test': 100, train: 200, test: 100 }, source: 'Berkeley Segmentation Dataset BSDS300, https://www2.eecs.berkeley.edu/Research/Projects/CS/vision/bsds/: 200 train / 100 test images of 481×321' },
  { name: 'Carvana', aliases: ['carvana', 'carvana-image-masking-challenge', 'carvana_image_masking'], shape: [3, 1280, 1918], train: 5_088, test: 100_064, target: 'mask', targetShape: [1280, 1918], bytesPerElement: 4, source: 'Kaggle Carvana Image Masking Challenge: 5,088 training images (318 cars × 16 views), 100,064 test images, 1918×1280' },
  { name: 'IMDB', aliases: ['imdb', 'stanfordnlp/imdb'], shape: [512], train: 25_000, test: 25_000, target: 'class', classes: 2, bytesPerElement: 8, source: 'https://ai.stanford.edu/~amaas/data/sentiment/' },
  { name: 'SST-2', aliases: ['sst2', 'glue/sst2', 'stanfordnlp/sst2'], shape: [128], train: 67_349, test: 872, target: 'class', classes: 2, bytesPerElement: 8, source: 'GLUE SST-2, https://huggingface.co/datasets/nyu-mll/glue (train 67,349 / validation 872)' },
  { name: 'MNLI', aliases: ['mnli', 'glue/mnli', 'multi_nli', 'nyu-mll/multi_nli'], shape: [128], train: 392_702, test: 9_815, target: 'class', classes: 3, bytesPerElement: 8, source: 'GLUE MNLI, https://huggingface.co/datasets/nyu-mll/glue (train 392,702 / validation_matched 9,815)' },
  { name: 'QNLI', aliases: ['qnli', 'glue/qnli'], shape: [128], train: 104_743, test: 5_463, target: 'class', classes: 2, bytesPerElement: 8, source: 'GLUE QNLI, https://huggingface.co/datasets/nyu-mll/glue (train 104,743 / validation 5,463)' },
  { name: 'QQP', aliases: ['qqp', 'glue/qqp'], shape: [128], train: 363_846, test: 40_430, target: 'class', classes: 2, bytesPerElement: 8, source: 'GLUE QQP, https://huggingface.co/datasets/nyu-mll/glue (train 363,846 / validation 40,430)' },
  { name: 'MRPC', aliases: ['mrpc', 'glue/mrpc'], shape: [128], train: 3_668, test: 408, target: 'class', classes: 2, bytesPerElement: 8, source: 'GLUE MRPC, https://huggingface.co/datasets/nyu-mll/glue (train 3,668 / validation 408)' },
  { name: 'CoLA', aliases: ['cola', 'glue/cola'], shape: [128], train: 8_551, test: 1_043, target: 'class', classes: 2, bytesPerElement: 8, source: 'GLUE CoLA, https://huggingface.co/datasets/nyu-mll/glue (train 8,551 / validation 1,043)' },
  { name: 'RTE', aliases: ['rte', 'glue/rte'], shape: [128], train: 2_490, test: 277, target: 'class', classes: 2, bytesPerElement: 8, source: 'GLUE RTE, https://huggingface.co/datasets/nyu-mll/glue (train 2,490 / validation 277)' },
  { name: 'STS-B', aliases: ['stsb', 'sts-b', 'glue/stsb'], shape: [128], train: 5_749, test: 1_500, target: 'class', classes: 1, bytesPerElement: 8, source: 'GLUE STS-B, https://huggingface.co/datasets/nyu-mll/glue (train 5,749 / validation 1,500)' },
  { name: 'SQuAD v1.1', aliases: ['squad', 'rajpurkar/squad', 'squad_v1', 'squad1.1'], shape: [384], train: 87_599, test: 10_570, target: 'tokens', bytesPerElement: 8, source: 'https://rajpurkar.github.io/SQuAD-explorer/ ; huggingface.co/datasets/rajpurkar/squad (train 87,599 / validation 10,570)' },
  { name: 'AG News', aliases: ['ag_news', 'agnews', 'fancyzhx/ag_news'], shape: [128], train: 120_000, test: 7_600, target: 'class', classes: 4, bytesPerElement: 8, source: 'torchtext AG_NEWS' },
  { name: 'WikiText-103', aliases: ['wikitext', 'wikitext-103', 'wikitext103', 'wikitext-103-raw-v1', 'wikitext-103-v1'], shape: [1024], train: 101_425, trainTokens: 103_227_021, vocab: 267_735, target: 'tokens', bytesPerElement: 8, source: 'https://huggingface.co/datasets/wikitext (103,227,021 training tokens, vocabulary 267,735, Merity et al. 2016)' },
  { name: 'WikiText-2', aliases: ['wikitext-2', 'wikitext2', 'wikitext-2-raw-v1', 'wikitext-2-v1'], shape: [1024], train: 36_718, test: 4_358, trainTokens: 2_088_628, vocab: 33_278, target: 'tokens', bytesPerElement: 8, source: 'https://huggingface.co/datasets/wikitext (wikitext-2: 36,718 train rows; 2,088,628 training tokens, vocabulary 33,278, Merity et al. 2016)' },
  { name: 'Penn Treebank', aliases: ['ptb', 'penn_treebank', 'ptb_text_only', 'penntreebank', 'ptb-text-only/ptb_text_only'], shape: [35], train: 42_068, test: 3_761, trainTokens: 929_589, vocab: 10_000, target: 'tokens', bytesPerElement: 8, source: 'Mikolov PTB (ptb.train.txt: 929,589 tokens, vocabulary 10,000); huggingface.co/datasets/ptb_text_only (train 42,068 sentences / test 3,761)' },
  { name: 'OpenWebText', aliases: ['openwebtext', 'skylion007/openwebtext', 'owt'], shape: [1024], train: 8_013_769, trainTokens: 9_035_582_198, target: 'tokens', bytesPerElement: 8, source: 'https://huggingface.co/datasets/Skylion007/openwebtext (8,013,769 documents); nanoGPT data/openwebtext/prepare.py: train.bin 9,035,582,198 GPT-2 tokens' },
  { name: 'makemore names', aliases: ['names.txt'], shape: [16], train: 32_033, vocab: 27, target: 'tokens', bytesPerElement: 8, source: 'karpathy/makemore names.txt (https://github.com/karpathy/makemore): 32,033 names of lowercase letters a–z; vocabulary 27 with the "." start/end token makemore and its lectures add' },
  { name: 'Tiny Shakespeare', aliases: ['tinyshakespeare', 'shakespeare', 'tiny_shakespeare', 'shakespeare_char'], shape: [256], train: 1_003_854, trainTokens: 1_003_854, vocab: 65, target: 'tokens', bytesPerElement: 8, source: 'karpathy/char-rnn (1,115,394 chars, 65 distinct; 90% train)' },
  { name: 'Alpaca', aliases: ['tatsu-lab/alpaca', 'alpaca'], shape: [512], train: 52_002, target: 'tokens', bytesPerElement: 8, source: 'https://huggingface.co/datasets/tatsu-lab/alpaca' },
  { name: 'Dolly 15k', aliases: ['databricks/databricks-dolly-15k', 'dolly'], shape: [512], train: 15_011, target: 'tokens', bytesPerElement: 8, source: 'https://huggingface.co/datasets/databricks/databricks-dolly-15k' },
  { name: 'OpenAssistant Guanaco', aliases: ['timdettmers/openassistant-guanaco', 'guanaco'], shape: [512], train: 9_846, test: 518, target: 'tokens', bytesPerElement: 8, source: 'https://huggingface.co/datasets/timdettmers/openassistant-guanaco' },
  { name: 'Alpaca (cleaned)', aliases: ['yahma/alpaca-cleaned', 'alpaca-cleaned', 'alpaca_cleaned'], shape: [512], train: 51_760, target: 'tokens', bytesPerElement: 8, source: 'https://huggingface.co/datasets/yahma/alpaca-cleaned (train 51,760)' },
  { name: 'Guanaco 1k (Llama 2 format)', aliases: ['mlabonne/guanaco-llama2-1k', 'guanaco-llama2-1k'], shape: [512], train: 1_000, target: 'tokens', bytesPerElement: 8, source: 'https://huggingface.co/datasets/mlabonne/guanaco-llama2-1k (train 1,000)' },
  { name: 'UltraChat 200k', aliases: ['huggingfaceh4/ultrachat_200k', 'ultrachat_200k'], shape: [2048], train: 207_865, target: 'tokens', bytesPerElement: 8, source: 'https://huggingface.co/datasets/HuggingFaceH4/ultrachat_200k (train_sft 207,865)' },
  { name: 'No Robots', aliases: ['huggingfaceh4/no_robots', 'no_robots'], shape: [1024], train: 9_500, target: 'tokens', bytesPerElement: 8, source: 'https://huggingface.co/datasets/HuggingFaceH4/no_robots (train 9,500)' },
  { name: 'UltraFeedback binarized', aliases: ['trl-lib/ultrafeedback_binarized', 'ultrafeedback_binarized', 'huggingfaceh4/ultrafeedback_binarized'], shape: [1024], train: 62_135, target: 'tokens', bytesPerElement: 8, source: 'https://huggingface.co/datasets/trl-lib/ultrafeedback_binarized (train 62,135)' },
  { name: 'Anthropic HH-RLHF', aliases: ['anthropic/hh-rlhf', 'hh-rlhf', 'hh_rlhf'], shape: [512], train: 160_800, test: 8_552, target: 'tokens', bytesPerElement: 8, source: 'https://huggingface.co/datasets/Anthropic/hh-rlhf (train 160,800 / test 8,552)' },
  { name: 'GSM8K', aliases: ['openai/gsm8k', 'gsm8k'], shape: [512], train: 7_473, test: 1_319, target: 'tokens', bytesPerElement: 8, source: 'https://huggingface.co/datasets/openai/gsm8k main (train 7,473 / test 1,319)' },
  { name: 'SQuAD v2', aliases: ['rajpurkar/squad_v2', 'squad_v2'], shape: [384], train: 130_319, test: 11_873, target: 'tokens', bytesPerElement: 8, source: 'https://huggingface.co/datasets/rajpurkar/squad_v2 (train 130,319 / validation 11,873)' },
  { name: 'CNN/DailyMail', aliases: ['abisee/cnn_dailymail', 'cnn_dailymail'], shape: [1024], train: 287_113, test: 11_490, target: 'tokens', bytesPerElement: 8, source: 'https://huggingface.co/datasets/abisee/cnn_dailymail 3.0.0 (train 287,113 / test 11,490)' },
  { name: 'XSum', aliases: ['edinburghnlp/xsum', 'xsum'], shape: [1024], train: 204_045, test: 11_334, target: 'tokens', bytesPerElement: 8, source: 'https://huggingface.co/datasets/EdinburghNLP/xsum (train 204,045 / test 11,334)' },
  { name: 'SAMSum', aliases: ['samsung/samsum', 'samsum'], shape: [512], train: 14_732, test: 819, target: 'tokens', bytesPerElement: 8, source: 'https://huggingface.co/datasets/Samsung/samsum (train 14,732 / test 819)' },
  { name: 'WMT16 ro-en', aliases: ['wmt16/ro-en', 'wmt/wmt16/ro-en'], shape: [128], train: 610_320, test: 1_999, target: 'tokens', bytesPerElement: 8, source: 'https://huggingface.co/datasets/wmt/wmt16 ro-en (train 610,320 / test 1,999)' },
  { name: 'Multi30k', aliases: ['multi30k', 'bentrevett/multi30k', 'multi30k/de-en', 'multi30k-de-en'], shape: [32], train: 29_000, test: 1_000, target: 'tokens', bytesPerElement: 8, source: 'https://github.com/multi30k/dataset (Elliott et al. 2016; de–en: train 29,000 / validation 1,014 / test 1,000 sentence pairs); huggingface.co/datasets/bentrevett/multi30k; torchtext.datasets.Multi30k. Sample length: a padded batch\'s longest sentence, estimated at about 30 word tokens with <sos>/<eos>' },
  { name: 'CoNLL-2003', aliases: ['eriktks/conll2003', 'conll2003'], shape: [128], train: 14_041, test: 3_453, target: 'tokens', bytesPerElement: 8, source: 'https://huggingface.co/datasets/eriktks/conll2003 (train 14,041 / test 3,453)' },
  { name: 'SWAG', aliases: ['allenai/swag', 'swag'], shape: [128], train: 73_546, test: 20_006, classes: 4, target: 'class', bytesPerElement: 8, source: 'https://huggingface.co/datasets/allenai/swag regular (train 73,546 / validation 20,006)' },
  { name: 'Yelp Review Full', aliases: ['yelp_review_full', 'yelp_review_full/yelp_review_full'], shape: [512], train: 650_000, test: 50_000, classes: 5, target: 'class', bytesPerElement: 8, source: 'https://huggingface.co/datasets/Yelp/yelp_review_full (train 650,000 / test 50,000)' },
  { name: 'Rotten Tomatoes', aliases: ['cornell-movie-review-data/rotten_tomatoes', 'rotten_tomatoes'], shape: [128], train: 8_530, test: 1_066, classes: 2, target: 'class', bytesPerElement: 8, source: 'https://huggingface.co/datasets/cornell-movie-review-data/rotten_tomatoes (train 8,530 / test 1,066)' },
  { name: 'Emotion', aliases: ['dair-ai/emotion', 'emotion'], shape: [128], train: 16_000, test: 2_000, classes: 6, target: 'class', bytesPerElement: 8, source: 'https://huggingface.co/datasets/dair-ai/emotion (train 16,000 / test 2,000)' },
  { name: 'DBpedia 14', aliases: ['fancyzhx/dbpedia_14', 'dbpedia_14'], shape: [128], train: 560_000, test: 70_000, classes: 14, target: 'class', bytesPerElement: 8, source: 'https://huggingface.co/datasets/fancyzhx/dbpedia_14 (train 560,000 / test 70,000)' },
  { name: 'Amazon Polarity', aliases: ['fancyzhx/amazon_polarity', 'amazon_polarity'], shape: [128], train: 3_600_000, test: 400_000, classes: 2, target: 'class', bytesPerElement: 8, source: 'https://huggingface.co/datasets/fancyzhx/amazon_polarity (train 3,600,000 / test 400,000)' },
  { name: 'Beans', aliases: ['beans', 'ai-lab-makerere/beans'], shape: [3, 500, 500], train: 1_034, test: 128, classes: 3, target: 'class', bytesPerElement: 4, source: 'https://huggingface.co/datasets/AI-Lab-Makerere/beans (train 1,034 / test 128)' },
  { name: 'RAFT', aliases: ['ought/raft', 'raft'], shape: [128], train: 50, target: 'class', bytesPerElement: 8, source: 'https://huggingface.co/datasets/ought/raft (Alex et al. 2021): each of the 11 tasks has 50 labelled training examples; test sizes vary by task' },
  { name: 'Twitter financial news sentiment', aliases: ['zeroshot/twitter-financial-news-sentiment', 'twitter-financial-news-sentiment'], shape: [128], train: 9_543, test: 2_388, classes: 3, target: 'class', bytesPerElement: 8, source: 'https://huggingface.co/datasets/zeroshot/twitter-financial-news-sentiment (train 9,543 / validation 2,388)' },
  { name: 'Cats vs Dogs', aliases: ['microsoft/cats_vs_dogs', 'cats_vs_dogs', 'catsvsdogs', 'dogs-vs-cats'], shape: [3, 224, 224], train: 23_410, classes: 2, target: 'class', bytesPerElement: 4, source: 'https://huggingface.co/datasets/microsoft/cats_vs_dogs (train 23,410)' },
  { name: 'Pokemon BLIP captions', aliases: ['lambdalabs/pokemon-blip-captions', 'pokemon-blip-captions', 'reach-vb/pokemon-blip-captions'], shape: [3, 512, 512], train: 833, target: 'image', bytesPerElement: 4, source: 'https://huggingface.co/datasets/lambdalabs/pokemon-blip-captions (train 833)' },
  { name: 'LibriSpeech (train-clean-100)', aliases: ['librispeech', 'librispeech_asr'], shape: [80, 3000], train: 28_539, target: 'tokens', bytesPerElement: 4, source: 'https://www.openslr.org/12' },
  { name: 'LibriSpeech (train-clean-360)', aliases: ['train-clean-360', 'librispeech-train-clean-360', 'librispeech_train_clean_360'], shape: [80, 3000], train: 104_014, target: 'tokens', bytesPerElement: 4, source: 'https://www.openslr.org/12 (train-clean-360: 104,014 utterances, 363.6 h, 16 kHz)' },
  { name: 'LibriSpeech (train-other-500)', aliases: ['train-other-500', 'librispeech-train-other-500', 'librispeech_train_other_500'], shape: [80, 3000], train: 148_688, target: 'tokens', bytesPerElement: 4, source: 'https://www.openslr.org/12 (train-other-500: 148,688 utterances, 496.7 h, 16 kHz)' },
];

const norm = (s: string) => s.toLowerCase().replace(/^torchvision\.datasets\./, '').replace(/[\s_]/g, '').replace(/-/g, '');

/** Find a dataset by class name or hub id; undefined when unknown. */
export function findDataset(name: string): DatasetInfo | undefined {
  const n = norm(name);
  if (!n) return undefined;
  return datasetIndex().get(n);
}

/** Normalised name and alias → dataset, built once (the first entry wins, as a scan in catalog order would). */
let index: Map<string, DatasetInfo> | undefined;
function datasetIndex(): Map<string, DatasetInfo> {
  if (index) return index;
  index = new Map();
  for (const d of DATASETS) {
    for (const key of [d.name, ...d.aliases]) {
      const n = norm(key);
      if (n && !index.has(n)) index.set(n, d);
    }
  }
  return index;
}

/**
 * A dataset named by a hub id and configuration (`load_dataset('glue', 'sst2')`, `load_dataset('wikitext',
 * 'wikitext-2-raw-v1')`): the configuration first (it is the more specific name), then `id/config`, then the id.
 */
export function findDatasetConfig(id: string, config?: string): DatasetInfo | undefined {
  const tries = config ? [config, `${id}/${config}`, id] : [id];
  for (const t of tries) {
    const d = findDataset(t);
    if (d) return d;
  }
  return undefined;
}

/** Folder names that name a split rather than a dataset. */
const SPLIT_DIRS = /^(train|training|val|valid|validation|test|testing|images?|imgs?|data|datasets?|raw|processed|trainA|trainB|testA|testB|all)$/i;

/**
 * A well-known dataset named by a folder path (`ImageFolder('/data/imagenet/train')`, `'./datasets/facades/val'`):
 * the innermost folder that is in the catalog, and whether the path points at its training split (a `val`/`test`
 * folder after the dataset's name picks that split). Undefined when no folder is a known dataset.
 */
export function datasetFromPath(p: string): { info: DatasetInfo; train: boolean; folder: string } | undefined {
  const parts = p.split(/[\\/]+/).filter((x) => x && x !== '.' && x !== '..');
  for (let i = parts.length - 1; i >= 0; i--) {
    if (SPLIT_DIRS.test(parts[i])) continue;
    const info = findDataset(parts[i]) ?? findDataset(parts[i].replace(/[-_]?(dataset|data|images?|\d{4})$/i, ''));
    if (!info) continue;
    const after = parts.slice(i + 1).join('/');
    const train = !/(^|\/)(val|valid|validation|test|testing|testA|testB)(\/|$)/i.test(after) && !/^val\d{4}$/.test(parts[i]);
    return { info, train, folder: parts[i] };
  }
  return undefined;
}
