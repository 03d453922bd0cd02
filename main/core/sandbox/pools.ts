/*
 * Word pools for generated contacts: names in their own scripts (José, Zoë, Łukasz, 山田, Ølsen,
 * Nguyễn …), each paired with the ASCII form used in email addresses, plus places per country.
 * Emails use reserved domains only (example.com/.org/.net and the .example TLD, RFC 2606), so no
 * generated address can ever belong to a real mailbox.
 */

/** [as written, ASCII for addresses] */
export type Name = readonly [string, string];

export interface Place {
  city: string;
  state: string;
  state_code: string;
  /** Zip pattern: # = a digit, A = a capital letter; other characters are literal. */
  zip: string;
}

export interface Country {
  name: string;
  weight: number;
  currency: string;
  language: string;
  /** Phone pattern: # = a digit. */
  phone: string;
  mobile: string;
  places: readonly Place[];
  first: readonly Name[];
  last: readonly Name[];
  /** Family name first in the display name (Japan, Vietnam). */
  familyFirst?: boolean;
  companyWords: readonly Name[];
  legal: readonly string[];
  tld: string;
  streets: readonly string[];
}

const n = (written: string, ascii = written.toLowerCase()): Name => [written, ascii];

export const countries: readonly Country[] = [
  {
    name: 'India', weight: 22, currency: 'INR', language: 'en', phone: '+91 80 #### ####', mobile: '+91 98### #####', tld: 'in',
    places: [
      { city: 'Chennai', state: 'Tamil Nadu', state_code: 'TN', zip: '6000##' },
      { city: 'Bengaluru', state: 'Karnataka', state_code: 'KA', zip: '5600##' },
      { city: 'Mumbai', state: 'Maharashtra', state_code: 'MH', zip: '4000##' },
      { city: 'Pune', state: 'Maharashtra', state_code: 'MH', zip: '4110##' },
      { city: 'New Delhi', state: 'Delhi', state_code: 'DL', zip: '1100##' },
      { city: 'Kolkata', state: 'West Bengal', state_code: 'WB', zip: '7000##' },
    ],
    first: [n('Aarav'), n('Priya'), n('Rahul'), n('Ananya'), n('Vikram'), n('Lakshmi'), n('Arjun'), n('Divya'), n('Karthik'), n('Meera'), n('Sanjay'), n('Asha')],
    last: [n('Sharma'), n('Iyer'), n('Patel'), n('Reddy'), n('Nair'), n('Gupta'), n('Rao'), n('Menon'), n('Banerjee'), n('Singh')],
    companyWords: [n('Ganga'), n('Zylker'), n('Saraswati'), n('Indus'), n('Kaveri'), n('Lotus')],
    legal: ['Pvt Ltd', 'LLP', 'Enterprises'],
    streets: ['MG Road', 'Anna Salai', 'Linking Road', 'Park Street', 'Brigade Road'],
  },
  {
    name: 'United States', weight: 22, currency: 'USD', language: 'en', phone: '+1 (###) 555-01##', mobile: '+1 (###) 555-01##', tld: 'us',
    places: [
      { city: 'Pleasanton', state: 'California', state_code: 'CA', zip: '94588' },
      { city: 'Austin', state: 'Texas', state_code: 'TX', zip: '787##' },
      { city: 'New York', state: 'New York', state_code: 'NY', zip: '100##' },
      { city: 'Indianapolis', state: 'Indiana', state_code: 'IN', zip: '462##' },
      { city: 'Seattle', state: 'Washington', state_code: 'WA', zip: '981##' },
      { city: 'Chicago', state: 'Illinois', state_code: 'IL', zip: '606##' },
    ],
    first: [n('John'), n('Emily'), n('Michael'), n('Sarah'), n('David'), n('Jessica'), n('Chris'), n('Ashley'), n('Bob'), n('Olivia'), n('Darren'), n('Jane')],
    last: [n('Smith'), n('Johnson'), n('Williams'), n('Brown'), n('Jones'), n('Miller'), n('Davis'), n("O'Brien", 'obrien'), n('Stone'), n('Parker')],
    companyWords: [n('Bluestone'), n('Redwood'), n('Liberty'), n('Pioneer'), n('Summit'), n('Zylker')],
    legal: ['Inc.', 'LLC', 'Corp.'],
    streets: ['Main Street', 'Oak Avenue', 'Maple Drive', 'Market Street', 'Sunset Boulevard'],
  },
  {
    name: 'United Kingdom', weight: 10, currency: 'GBP', language: 'en', phone: '+44 20 7### ####', mobile: '+44 7700 ######', tld: 'co.uk',
    places: [
      { city: 'London', state: 'England', state_code: 'ENG', zip: 'EC1A #AA' },
      { city: 'Manchester', state: 'England', state_code: 'ENG', zip: 'M# #AA' },
      { city: 'Edinburgh', state: 'Scotland', state_code: 'SCT', zip: 'EH# #AA' },
      { city: 'Cardiff', state: 'Wales', state_code: 'WLS', zip: 'CF# #AA' },
    ],
    first: [n('Oliver'), n('Amelia'), n('Harry'), n('Isla'), n('George'), n('Siobhan'), n('Callum'), n('Freya')],
    last: [n('Taylor'), n('Evans'), n('Thomas'), n('Roberts'), n('Hughes'), n('MacLeod', 'macleod'), n('Walsh')],
    companyWords: [n('Thames'), n('Highland'), n('Albion'), n('Crown'), n('Pennine')],
    legal: ['Ltd', 'PLC', 'LLP'],
    streets: ['High Street', 'Station Road', 'Church Lane', 'Victoria Road'],
  },
  {
    name: 'Germany', weight: 9, currency: 'EUR', language: 'de', phone: '+49 30 #######', mobile: '+49 151 ########', tld: 'de',
    places: [
      { city: 'Berlin', state: 'Berlin', state_code: 'BE', zip: '10###' },
      { city: 'München', state: 'Bayern', state_code: 'BY', zip: '80###' },
      { city: 'Köln', state: 'Nordrhein-Westfalen', state_code: 'NW', zip: '50###' },
      { city: 'Hamburg', state: 'Hamburg', state_code: 'HH', zip: '20###' },
    ],
    first: [n('Jürgen', 'juergen'), n('Lukas'), n('Anna'), n('Sophie'), n('Maximilian'), n('Käthe', 'kaethe'), n('Hans'), n('Lena')],
    last: [n('Müller', 'mueller'), n('Schröder', 'schroeder'), n('Schmidt'), n('Weiß', 'weiss'), n('Becker'), n('Meier'), n('Hoffmann')],
    companyWords: [n('Nordlicht'), n('Rheinwerk'), n('Alpen'), n('Elbe'), n('Schwarzwald')],
    legal: ['GmbH', 'AG', 'KG'],
    streets: ['Hauptstraße', 'Bahnhofstraße', 'Gartenweg', 'Schillerstraße'],
  },
  {
    name: 'Australia', weight: 6, currency: 'AUD', language: 'en', phone: '+61 2 #### ####', mobile: '+61 4## ### ###', tld: 'com.au',
    places: [
      { city: 'Sydney', state: 'New South Wales', state_code: 'NSW', zip: '20##' },
      { city: 'Melbourne', state: 'Victoria', state_code: 'VIC', zip: '30##' },
      { city: 'Brisbane', state: 'Queensland', state_code: 'QLD', zip: '40##' },
      { city: 'Perth', state: 'Western Australia', state_code: 'WA', zip: '60##' },
    ],
    first: [n('Jack'), n('Charlotte'), n('Liam'), n('Mia'), n('Noah'), n('Matilda'), n('Kylie')],
    last: [n('Wilson'), n('Martin'), n('Anderson'), n('White'), n('Kelly'), n('Nguyen')],
    companyWords: [n('Kangaroo'), n('Coral'), n('Outback'), n('Southern Cross', 'southerncross'), n('Wattle')],
    legal: ['Pty Ltd'],
    streets: ['George Street', 'Collins Street', 'Queen Street', 'Hay Street'],
  },
  {
    name: 'Japan', weight: 6, currency: 'JPY', language: 'ja', phone: '+81 3 #### ####', mobile: '+81 90 #### ####', tld: 'co.jp', familyFirst: true,
    places: [
      { city: '東京', state: '東京都', state_code: '13', zip: '100-####' },
      { city: '大阪', state: '大阪府', state_code: '27', zip: '530-####' },
      { city: 'Yokohama', state: 'Kanagawa', state_code: '14', zip: '220-####' },
      { city: '京都', state: '京都府', state_code: '26', zip: '600-####' },
    ],
    first: [n('太郎', 'taro'), n('花子', 'hanako'), n('Yuki'), n('健', 'ken'), n('さくら', 'sakura'), n('Haruto'), n('Aoi')],
    last: [n('山田', 'yamada'), n('佐藤', 'sato'), n('鈴木', 'suzuki'), n('Takahashi'), n('田中', 'tanaka'), n('Itō', 'ito')],
    companyWords: [n('Sakura'), n('富士', 'fuji'), n('Hikari'), n('大和', 'yamato'), n('Kaze')],
    legal: ['K.K.', 'Co., Ltd.', '株式会社'],
    streets: ['1-2-3 Marunouchi', '4-5-6 Umeda', '7-8 Shinjuku', '2-1 Gion'],
  },
  {
    name: 'Brazil', weight: 6, currency: 'BRL', language: 'pt', phone: '+55 11 ####-####', mobile: '+55 11 #####-####', tld: 'com.br',
    places: [
      { city: 'São Paulo', state: 'São Paulo', state_code: 'SP', zip: '01###-###' },
      { city: 'Rio de Janeiro', state: 'Rio de Janeiro', state_code: 'RJ', zip: '20###-###' },
      { city: 'Belo Horizonte', state: 'Minas Gerais', state_code: 'MG', zip: '30###-###' },
      { city: 'Curitiba', state: 'Paraná', state_code: 'PR', zip: '80###-###' },
    ],
    first: [n('João', 'joao'), n('Conceição', 'conceicao'), n('Luís', 'luis'), n('Ana'), n('Gabriel'), n('Beatriz'), n('Thiago')],
    last: [n('Silva'), n('Gonçalves', 'goncalves'), n('Araújo', 'araujo'), n('Pereira'), n('Conceição', 'conceicao'), n('Souza')],
    companyWords: [n('Rio'), n('Amazônia', 'amazonia'), n('Ipê', 'ipe'), n('Tropical'), n('Cerrado')],
    legal: ['Ltda.', 'S.A.'],
    streets: ['Avenida Paulista', 'Rua Augusta', 'Rua das Flores', 'Avenida Atlântica'],
  },
  {
    name: 'France', weight: 6, currency: 'EUR', language: 'fr', phone: '+33 1 ## ## ## ##', mobile: '+33 6 ## ## ## ##', tld: 'fr',
    places: [
      { city: 'Paris', state: 'Île-de-France', state_code: 'IDF', zip: '750##' },
      { city: 'Lyon', state: 'Auvergne-Rhône-Alpes', state_code: 'ARA', zip: '690##' },
      { city: 'Marseille', state: "Provence-Alpes-Côte d'Azur", state_code: 'PAC', zip: '130##' },
      { city: 'Nantes', state: 'Pays de la Loire', state_code: 'PDL', zip: '440##' },
    ],
    first: [n('Zoë', 'zoe'), n('Hélène', 'helene'), n('François', 'francois'), n('Amélie', 'amelie'), n('Jérôme', 'jerome'), n('Chloé', 'chloe'), n('Louis')],
    last: [n('Lefèvre', 'lefevre'), n('Dubois'), n('Moreau'), n('Fontaine'), n('Girard'), n('Bérenger', 'berenger')],
    companyWords: [n('Lumière', 'lumiere'), n('Provence'), n('Étoile', 'etoile'), n('Bordeaux'), n('Mistral')],
    legal: ['SARL', 'SAS', 'SA'],
    streets: ['Rue de Rivoli', 'Boulevard Haussmann', 'Rue de la République', 'Avenue Foch'],
  },
  {
    name: 'Poland', weight: 3, currency: 'PLN', language: 'pl', phone: '+48 22 ### ## ##', mobile: '+48 5## ### ###', tld: 'pl',
    places: [
      { city: 'Warszawa', state: 'Mazowieckie', state_code: 'MZ', zip: '00-###' },
      { city: 'Kraków', state: 'Małopolskie', state_code: 'MA', zip: '30-###' },
      { city: 'Łódź', state: 'Łódzkie', state_code: 'LD', zip: '90-###' },
    ],
    first: [n('Łukasz', 'lukasz'), n('Agnieszka'), n('Paweł', 'pawel'), n('Małgorzata', 'malgorzata'), n('Wojciech')],
    last: [n('Wójcik', 'wojcik'), n('Kowalski'), n('Nowak'), n('Wiśniewski', 'wisniewski'), n('Dąbrowska', 'dabrowska')],
    companyWords: [n('Wisła', 'wisla'), n('Bałtyk', 'baltyk'), n('Tatry')],
    legal: ['Sp. z o.o.', 'S.A.'],
    streets: ['ul. Marszałkowska', 'ul. Floriańska', 'ul. Piotrkowska'],
  },
  {
    name: 'Vietnam', weight: 3, currency: 'VND', language: 'vi', phone: '+84 28 #### ####', mobile: '+84 ## ### ####', tld: 'vn', familyFirst: true,
    places: [
      { city: 'Hồ Chí Minh', state: 'Hồ Chí Minh', state_code: 'SG', zip: '700000' },
      { city: 'Hà Nội', state: 'Hà Nội', state_code: 'HN', zip: '100000' },
      { city: 'Đà Nẵng', state: 'Đà Nẵng', state_code: 'DN', zip: '550000' },
    ],
    first: [n('Văn An', 'van.an'), n('Thị Hoa', 'thi.hoa'), n('Minh', 'minh'), n('Đức', 'duc'), n('Lan')],
    last: [n('Nguyễn', 'nguyen'), n('Trần', 'tran'), n('Lê', 'le'), n('Phạm', 'pham'), n('Hoàng', 'hoang')],
    companyWords: [n('Sài Gòn', 'saigon'), n('Mekong'), n('Hạ Long', 'halong')],
    legal: ['Co., Ltd', 'JSC'],
    streets: ['Đường Lê Lợi', 'Phố Huế', 'Đường Nguyễn Huệ'],
  },
  {
    name: 'Norway', weight: 2, currency: 'NOK', language: 'nb', phone: '+47 22 ## ## ##', mobile: '+47 4## ## ###', tld: 'no',
    places: [
      { city: 'Oslo', state: 'Oslo', state_code: '03', zip: '01##' },
      { city: 'Bergen', state: 'Vestland', state_code: '46', zip: '50##' },
      { city: 'Tromsø', state: 'Troms', state_code: '55', zip: '90##' },
    ],
    first: [n('Søren', 'soren'), n('Ingrid'), n('Åse', 'ase'), n('Bjørn', 'bjorn'), n('Sigrid')],
    last: [n('Ølsen', 'olsen'), n('Hansen'), n('Løvås', 'lovas'), n('Berg'), n('Haugen')],
    companyWords: [n('Fjord'), n('Nordkapp'), n('Isbjørn', 'isbjorn')],
    legal: ['AS', 'ASA'],
    streets: ['Karl Johans gate', 'Bryggen', 'Storgata'],
  },
  {
    name: 'Spain', weight: 2, currency: 'EUR', language: 'es', phone: '+34 91 ### ## ##', mobile: '+34 6## ### ###', tld: 'es',
    places: [
      { city: 'Madrid', state: 'Madrid', state_code: 'MD', zip: '280##' },
      { city: 'Barcelona', state: 'Cataluña', state_code: 'CT', zip: '080##' },
      { city: 'Sevilla', state: 'Andalucía', state_code: 'AN', zip: '410##' },
    ],
    first: [n('José', 'jose'), n('María', 'maria'), n('Íñigo', 'inigo'), n('Lucía', 'lucia'), n('Pedro')],
    last: [n('García', 'garcia'), n('Peña', 'pena'), n('Fernández', 'fernandez'), n('Martínez', 'martinez'), n('Núñez', 'nunez')],
    companyWords: [n('Iberia'), n('Sol'), n('Andalucía', 'andalucia'), n('Castilla')],
    legal: ['S.L.', 'S.A.'],
    streets: ['Calle Mayor', 'Gran Vía', 'Paseo de Gracia'],
  },
  {
    name: 'Canada', weight: 3, currency: 'CAD', language: 'en', phone: '+1 (###) 555-01##', mobile: '+1 (###) 555-01##', tld: 'ca',
    places: [
      { city: 'Toronto', state: 'Ontario', state_code: 'ON', zip: 'M5V #A#' },
      { city: 'Montréal', state: 'Québec', state_code: 'QC', zip: 'H2X #A#' },
      { city: 'Vancouver', state: 'British Columbia', state_code: 'BC', zip: 'V6B #A#' },
    ],
    first: [n('Émilie', 'emilie'), n('Liam'), n('Gabrielle'), n('Ethan'), n('Noémie', 'noemie')],
    last: [n('Tremblay'), n('Gagnon'), n('Roy'), n('Côté', 'cote'), n('MacDonald', 'macdonald')],
    companyWords: [n('Maple'), n('Laurentian'), n('Boréal', 'boreal'), n('Rocky')],
    legal: ['Inc.', 'Ltd.', 'Ltée'],
    streets: ['Yonge Street', 'Rue Sainte-Catherine', 'Granville Street'],
  },
];

export const companyTrades: readonly Name[] = [
  n('Traders'), n('Logistics'), n('Exports'), n('Foods'), n('Textiles'), n('Software'), n('Consulting'),
  n('Motors'), n('Pharma'), n('Studios'), n('Hardware'), n('Organics'),
];

export const industries = ['Retail', 'Manufacturing', 'Software', 'Healthcare', 'Hospitality', 'Logistics', 'Education', 'Agriculture'] as const;
export const tiers = ['Gold', 'Silver', 'Bronze'] as const;

/** Personal mail domains: reserved names only. */
export const personalDomains = ['example.com', 'example.org', 'example.net', 'mail.example', 'post.example'] as const;

/** Role and group local parts (all on the maintained list ListSync ignores as "Group email"). */
export const roleLocalParts = ['info', 'admin', 'support', 'sales', 'careers', 'noreply', 'hr', 'billing', 'accounts', 'office', 'contact', 'webmaster'] as const;

export const salutations = ['Mr.', 'Ms.', 'Mrs.', 'Dr.', ''] as const;
export const designations = ['Owner', 'Accountant', 'Purchasing Manager', 'Director', 'Office Manager', ''] as const;
export const departments = ['Finance', 'Procurement', 'Management', 'Operations', ''] as const;
export const notes = [
  'Prefers invoices by email.',
  'Met at the trade fair in 2024.',
  'Pays by bank transfer; remind two days before the due date.',
  'VIP customer — handle with care.',
  'Newsletter subscriber since the launch.',
] as const;

/** Fills a pattern: # → digit, A → letter. */
export function fillPattern(pattern: string, next: () => number): string {
  let out = '';
  for (const ch of pattern) {
    if (ch === '#') out += String(Math.floor(next() * 10));
    else if (ch === 'A') out += String.fromCharCode(65 + Math.floor(next() * 26));
    else out += ch;
  }
  return out;
}
