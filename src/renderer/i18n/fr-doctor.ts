import type { DoctorTexts } from './en-doctor.js';

/** Ce que les vérifications de l’étape Terminé ont trouvé, en français (voir en-doctor.ts). */
export const frDoctor: DoctorTexts = {
  'pty-ok': {
    message: 'Cet ordinateur peut lancer OpenSSH dans un terminal ({{version}}).',
  },
  'pty-no-version': {
    message: 'OpenSSH a démarré dans un terminal mais n’a pas donné sa version (code de sortie {{exitCode}})\xa0; ce qu’il a affiché se trouve ci-dessous.',
    next: 'Réinstallez Mila Onboard. Si le problème persiste, communiquez avec le soutien informatique en lui donnant ce message.',
  },
  'key-missing': {
    message: 'La clé qu’utilise votre connexion n’existe pas ({{file}}).',
    next: 'Créez une clé (étape «\xa0Créer une clé\xa0»), ou choisissez votre clé existante, puis écrivez de nouveau les paramètres de connexion.',
  },
  'key-unreadable': {
    message: 'Votre compte ne peut pas lire {{file}}.',
    next: 'Vérifiez que ce fichier appartient à votre compte d’utilisateur.',
  },
  'key-not-private': {
    message: '{{file}} n’est pas une clé privée SSH.',
    next: 'Choisissez votre clé privée (le fichier sans .pub), puis écrivez de nouveau les paramètres de connexion.',
  },
  'key-putty': {
    message: '{{file}} est une clé PuTTY, qu’OpenSSH ne peut pas utiliser.',
    next: 'Convertissez-la\xa0: dans PuTTYgen, Conversions → Export OpenSSH key.',
  },
  'key-too-open': {
    message: 'D’autres utilisateurs de cet ordinateur peuvent lire {{file}} (mode {{mode}})\xa0: OpenSSH refuse donc de l’utiliser.',
    next: 'Corrigez-le à l’étape «\xa0Vos clés SSH\xa0», ou exécutez\xa0: chmod 600 {{file}}',
  },
  'key-public-missing': {
    message: '{{file}} est utilisable, mais sa moitié publique ({{file}}.pub) est absente ou illisible.',
    next: 'Refaites-la à partir de la clé privée (étape «\xa0Votre clé publique\xa0»).',
  },
  'key-public-mismatch': {
    message: '{{file}}.pub appartient à une autre clé que {{file}}.',
    next: 'Refaites la clé publique à partir de la clé privée (étape «\xa0Votre clé publique\xa0»).',
  },
  'key-unprotected': {
    message: '{{file}} ({{type}}, {{fingerprint}}) est utilisable, mais n’est pas protégée par une phrase de passe.',
    next: 'Ajoutez une phrase de passe (étape «\xa0Vos clés SSH\xa0»).',
  },
  'key-protected': {
    message: '{{file}} ({{type}}, {{fingerprint}}) est utilisable et protégée par une phrase de passe.',
  },
  'key-usable': {
    message: '{{file}} ({{type}}, {{fingerprint}}) est utilisable.',
  },
  'config-missing': {
    message: 'Il n’y a pas de fichier de paramètres SSH à {{file}}\xa0: «\xa0ssh {{alias}}\xa0» ne connaît donc pas la grappe.',
    next: 'Écrivez les paramètres de connexion (étape «\xa0Paramètres de connexion\xa0»).',
  },
  'config-writable': {
    message: 'D’autres utilisateurs de cet ordinateur peuvent modifier {{file}} (mode {{mode}})\xa0: OpenSSH refuse donc de le lire.',
    next: 'Retirez-leur le droit d’écriture avec le bouton ci-dessous, ou exécutez\xa0: chmod go-w {{file}}',
  },
  'config-unreadable': {
    message: 'OpenSSH ne peut pas lire {{file}} (code de sortie {{exitCode}}\xa0; son message se trouve ci-dessous).',
    next: 'Corrigez la ligne qu’il indique, ou écrivez de nouveau les paramètres de connexion.',
  },
  'config-wrong': {
    message: '«\xa0ssh {{alias}}\xa0» n’utiliserait pas les paramètres de la grappe\xa0:',
    next: 'Écrivez de nouveau les paramètres de connexion (étape «\xa0Paramètres de connexion\xa0»).',
  },
  'config-not-ours': {
    message: '«\xa0ssh {{alias}}\xa0» joint {{host}} sur le port {{port}} en tant que {{user}}, mais ces paramètres n’ont pas été écrits par Mila Onboard.',
    next: 'Vérifiez que {{user}} est bien votre nom d’utilisateur sur la grappe, ou laissez Mila Onboard écrire les paramètres.',
  },
  'config-partial': {
    message: '«\xa0ssh {{alias}}\xa0» joint {{host}} sur le port {{port}} en tant que {{user}}, avec {{key}}, d’après une copie de vos paramètres qui a laissé de côté\xa0:',
    next: 'Vérifiez que les lignes laissées de côté ne changent pas les paramètres de la grappe.',
  },
  'config-ok': {
    message: '«\xa0ssh {{alias}}\xa0» joint {{host}} sur le port {{port}} en tant que {{user}}, avec {{key}} (vérifié avec OpenSSH).',
  },
  'permissions-ok': {
    message: 'Vous seul pouvez modifier {{dir}}, vos paramètres et vos hôtes connus.',
  },
  'permissions-unsafe': {
    message: 'D’autres utilisateurs de cet ordinateur peuvent modifier ces fichiers. OpenSSH refuse un tel fichier de paramètres, et quiconque peut écrire dans known_hosts peut faire en sorte que cet ordinateur fasse confiance à son serveur\xa0:',
    next: 'Retirez-leur le droit d’écriture avec le bouton ci-dessous, ou exécutez\xa0: chmod go-w {{paths}}',
  },
  'permissions-unsafe-others': {
    message: 'D’autres utilisateurs de cet ordinateur peuvent modifier ces fichiers. OpenSSH refuse un tel fichier de paramètres, et quiconque peut écrire dans known_hosts peut faire en sorte que cet ordinateur fasse confiance à son serveur\xa0:',
    next: 'Ceux-ci appartiennent à un autre utilisateur\xa0: {{others}}. Demandez à un administrateur de les corriger\xa0; le bouton ci-dessous corrige les autres.',
  },
  'known-hosts-none-confirmed': {
    message: '{{file}} n’enregistre aucune clé pour {{names}}\xa0: OpenSSH refuse donc de se connecter.',
    next: 'Examinez les clés que présente le serveur et confirmez-les (étape «\xa0Faire confiance à la grappe\xa0»)\xa0: {{profile}} ne publie pas d’empreintes pour les vérifier.',
  },
  'known-hosts-confirmed': {
    message: '{{file}} enregistre les clés que vous avez confirmées ({{types}}) pour {{names}}\xa0; {{profile}} ne publie pas d’empreintes\xa0: elles n’ont donc pas pu être vérifiées.',
  },
  'known-hosts-missing': {
    message: '{{file}} n’enregistre pas les clés d’hôte vérifiées de la grappe\xa0: OpenSSH refuse donc de se connecter.',
    next: 'Vérifiez-les et enregistrez-les (étape «\xa0Faire confiance à la grappe\xa0»).',
  },
  'known-hosts-stale': {
    message_one: '{{file}} enregistre les clés vérifiées de la grappe ({{types}}), mais aussi une autre clé pour elle (ligne {{lines}})\xa0: OpenSSH accepterait aussi un serveur qui la présente, et ce n’est pas la grappe.',
    message_other: '{{file}} enregistre les clés vérifiées de la grappe ({{types}}), mais aussi {{count}}\xa0autres clés pour elle (lignes {{lines}})\xa0: OpenSSH accepterait aussi un serveur qui en présente une, et ce n’est pas la grappe.',
    next: 'Retirez-les à l’étape «\xa0Faire confiance à la grappe\xa0» (une copie de sauvegarde est conservée).',
  },
  'known-hosts-ok': {
    message: '{{file}} enregistre les clés d’hôte vérifiées de la grappe ({{types}}) pour {{names}}.',
  },
  'compute-keys-missing': {
    message: 'Les clés d’hôte des nœuds de calcul ne sont pas encore enregistrées ({{patterns}})\xa0: la première connexion à un nœud de calcul vous demandera de confirmer son empreinte.',
    next: 'Enregistrez-les au moyen d’une connexion (étape «\xa0Nœuds de calcul\xa0»).',
  },
  'compute-keys-missing-unpublished': {
    message: 'Les clés d’hôte des nœuds de calcul ne sont pas encore enregistrées ({{patterns}})\xa0: la première connexion à un nœud de calcul vous demandera de confirmer son empreinte.',
    next: '{{profile}} ne publie pas d’empreintes pour ses nœuds de calcul\xa0: la première connexion à un nœud de calcul affiche son empreinte et demande de la confirmer\xa0; elle ne peut pas être vérifiée.',
  },
  'compute-keys-missing-compare': {
    message: 'Les clés d’hôte des nœuds de calcul ne sont pas encore enregistrées ({{patterns}})\xa0: la première connexion à un nœud de calcul vous demandera de confirmer son empreinte.',
    next: 'Comparez l’empreinte affichée avec les empreintes publiées des nœuds de calcul ({{docs}}) avant de répondre oui.',
  },
  'compute-keys-stale': {
    message_one: 'known_hosts contient une autre clé pour les nœuds de calcul (ligne {{lines}}).',
    message_other: 'known_hosts contient {{count}}\xa0autres clés pour les nœuds de calcul (lignes {{lines}}).',
    next: 'Vérifiez ces lignes\xa0; la commande mila-onboard compute trust --remove-stale les retire (une copie de sauvegarde est conservée).',
  },
  'compute-keys-ok': {
    message: 'Les clés d’hôte vérifiées des nœuds de calcul ({{types}}) sont enregistrées pour {{patterns}}.',
  },
  'agent-unknown': {
    message: 'L’agent SSH n’a pas pu être interrogé.',
    next: 'OpenSSH demandera la phrase de passe de votre clé à chaque connexion.',
  },
  'agent-unreachable': {
    message: 'Mila Onboard ne peut joindre aucun agent SSH.',
    next: 'Sans agent, OpenSSH demande la phrase de passe de votre clé à chaque connexion.',
  },
  'agent-ok': {
    message: 'L’agent SSH détient votre clé ({{fingerprint}}).',
  },
  'agent-without-key': {
    message: 'L’agent SSH fonctionne, mais il ne détient pas votre clé ({{fingerprint}}).',
    next: 'Ajoutez votre clé ci-dessous, pour que sa phrase de passe ne soit demandée qu’une fois par session.',
  },
  'agent-running': {
    message: 'L’agent SSH fonctionne.',
    next: 'Ajoutez votre clé ci-dessous, pour que sa phrase de passe ne soit demandée qu’une fois par session.',
  },
  'reach-ok': {
    message: '{{host}} répond sur le port {{port}} ({{banner}}).',
  },
  'reach-refused': {
    message: '{{host}} a refusé la connexion sur le port {{port}}.',
    next: 'Après plusieurs connexions ratées, la grappe bloque votre adresse pendant environ une heure\xa0: attendez, puis réessayez. Si le problème persiste, communiquez avec le soutien informatique.',
  },
  'reach-timeout': {
    message: '{{host}} n’a pas répondu sur le port {{port}} en {{seconds}}\xa0s.',
    next: 'Vérifiez votre connexion Internet\xa0; certains réseaux bloquent SSH\xa0: essayez un autre réseau ou un RPV.',
  },
  'reach-dns': {
    message: 'Cet ordinateur n’a pas trouvé l’adresse de {{host}}.',
    next: 'Vérifiez que vous êtes connecté à Internet.',
  },
  'reach-network': {
    message: 'Cet ordinateur n’a aucune route réseau vers {{host}} ({{detail}}).',
    next: 'Vérifiez votre connexion Internet (Wi-Fi, RPV).',
  },
  'reach-not-ssh': {
    message: '{{host}} a répondu sur le port {{port}}, mais pas comme un serveur SSH.',
    next: 'Un filtre réseau est peut-être en cause\xa0: essayez un autre réseau.',
  },
  'check-error': {
    message: 'Cette vérification n’a pas pu être faite.',
  },
  'check-failed': {
    message: 'Cette vérification a échoué d’une façon que Mila Onboard n’avait pas prévue (détails ci-dessous).',
    next: 'Réessayez. Si l’échec persiste, communiquez avec le soutien informatique.',
  },
  item: {
    'setting-wrong': '{{option}} vaut {{found}} au lieu de {{expected}}',
    'setting-unset': '{{option}} n’est pas défini\xa0; attendu\xa0: {{expected}}',
    'identity-missing': 'IdentityFile ne nomme pas {{file}}',
    'left-out-exec': '«\xa0Match exec\xa0» à {{where}}, considéré comme faux\xa0: Mila Onboard n’exécute jamais de commandes tirées de vos paramètres',
    'left-out-include': '«\xa0{{line}}\xa0», qui n’a pas pu être suivi avec certitude',
    'writable-folder': 'votre dossier SSH {{path}} (mode {{mode}})',
    'writable-config': 'vos paramètres SSH {{path}} (mode {{mode}})',
    'writable-known-hosts': 'vos hôtes connus {{path}} (mode {{mode}})',
  },
};
